variable "name" {
  description = "Prefix of every resource name (e.g. furniture-production)."
  type        = string
}

variable "cidr_block" {
  description = "CIDR block of the VPC; split into public, private and isolated /20 subnets."
  type        = string
}

variable "availability_zones" {
  description = "Availability zones of the stack (2 or more), by name."
  type        = list(string)
  validation {
    condition     = length(var.availability_zones) >= 2
    error_message = "The stack spans at least two availability zones."
  }
}

variable "nat_gateway_count" {
  description = "NAT gateways for the tasks' outbound calls (Stripe, DHL, Twilio): 1 (cheaper) or one per AZ."
  type        = number
}

variable "kms_key_arn" {
  description = "KMS key that encrypts the flow logs."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the VPC flow logs."
  type        = number
}
