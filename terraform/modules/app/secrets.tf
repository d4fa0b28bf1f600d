# Odoo's master password (database manager, Odoo's admin operations). Terraform creates the
# secret, never its value: an administrator sets it once (terraform/README.md, first
# deployment), so it never lands in the Terraform state.
resource "aws_secretsmanager_secret" "admin_passwd" {
  #checkov:skip=CKV2_AWS_57:Odoo's master password has no rotation function; it is changed by hand (README) and the services redeployed
  name                    = "${var.name}/odoo-admin-passwd"
  description             = "Odoo master password (admin_passwd) of ${var.name}"
  kms_key_id              = var.kms_key_arn
  recovery_window_in_days = 30
}
