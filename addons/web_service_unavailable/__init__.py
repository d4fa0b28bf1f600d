from . import http, reports


def post_load():
    http.post_load()
    reports.post_load()
