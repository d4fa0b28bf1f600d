from . import attachment_s3_migrate
