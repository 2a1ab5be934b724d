/** A 12-digit AWS account id. */
export const AWS_ACCOUNT = /^\d{12}$/;
/** An AWS Region name (us-east-1, eu-central-2, us-gov-west-1, ap-southeast-5). */
export const AWS_REGION = /^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/;
