"""The storefront's ASGI-to-WSGI bridge: OCA fastapi's, with every failure reaching Odoo.

a2wsgi (which OCA fastapi runs its applications through) marks the application done as soon
as it raises, and hands the exception over to the WSGI side only afterwards, in a task of its
own. The WSGI side stops reading as soon as it sees the application done: when the
application fails right after reading the request body (a body that is not JSON, say) and
the server's thread is scheduled out for a moment in between, the exception is never read.
No response is started, and OCA's dispatcher fails with "'FastApiDispatcher' object has no
attribute 'headers'": an HTTP 500 for the client's mistake, at random, more often on a
loaded server.

Here the application is marked done only once the WSGI side has taken the exception, so the
dispatcher always raises it: Odoo rolls back and answers it as for any other refusal (422
for a body that is not valid, 401 for a key...).

Odoo's request log counts the SQL queries of the server's thread; the application runs its
endpoints in other threads, on the request's cursor: their queries are added to the server
thread's count once the answer is read, so that the log (and ``make bench ARGS=api``) counts
them."""

import asyncio
import threading

from a2wsgi.asgi import ASGIResponder

from odoo.http import request

from odoo.addons.fastapi.middleware import ASGIMiddleware
from odoo.addons.fastapi.pools import event_loop_pool


class FailureReportingResponder(ASGIResponder):
    def asgi_done_callback(self, future):
        if future.cancelled() or future.exception() is None:
            self.asgi_done.set()
            return
        # A reference, so that the task is not collected before it runs.
        self.failure_report = asyncio.ensure_future(self._report_failure(future.exception()))

    async def _report_failure(self, exception):
        try:
            await self.sync_event_set_lock.acquire()
            if not self.wsgi_should_stop:  # the WSGI side still reads: it takes it
                self.sync_event.set(
                    {
                        "type": "a2wsgi.error",
                        "exception": (type(exception), exception, exception.__traceback__),
                    }
                )
                # The WSGI side releases the lock once it has read the message.
                await self.sync_event_set_lock.acquire()
            self.sync_event_set_lock.release()
        finally:
            self.asgi_done.set()


def _counting_queries(chunks, cursor):
    """The answer's chunks, the cursor's queries meanwhile added to the thread's count."""
    thread = threading.current_thread()
    before = cursor.sql_log_count
    try:
        yield from chunks
    finally:
        if hasattr(thread, "query_count"):
            thread.query_count += cursor.sql_log_count - before


class StorefrontASGIMiddleware(ASGIMiddleware):
    def __call__(self, environ, start_response):
        with event_loop_pool.get_event_loop() as loop:
            chunks = FailureReportingResponder(self.app, loop)(environ, start_response)
        return _counting_queries(chunks, request.env.cr) if request else chunks
