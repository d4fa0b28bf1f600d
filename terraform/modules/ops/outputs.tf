output "kms_key_arn" {
  value = aws_kms_key.this.arn
}

output "alarm_topic_arn" {
  value = aws_sns_topic.alarms.arn
}
