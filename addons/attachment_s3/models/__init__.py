from . import ir_attachment, ir_binary
