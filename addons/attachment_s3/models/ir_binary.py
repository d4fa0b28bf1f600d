from odoo import models


class IrBinary(models.AbstractModel):
    _inherit = "ir.binary"

    def _get_image_stream_from(self, record, *args, **kwargs):
        # Images are resized and cached by Odoo: never a presigned redirect.
        inline = self.with_context(attachment_s3_inline=True)
        return super(IrBinary, inline)._get_image_stream_from(
            record.with_context(attachment_s3_inline=True), *args, **kwargs
        )
