"""Creates every emulated AWS resource from template.yaml (tables, indexes,
queues and dead-letter queues, the bucket and its S3→SQS notification, SES
identity and configuration set, the user pool and its client)."""

from __future__ import annotations

import json
from dataclasses import dataclass

import boto3

import cfn

STACK = "local-claims"
REGION = "eu-west-2"
ACCOUNT = "123456789012"


@dataclass
class Provisioned:
    resolver: cfn.Resolver

    def ref(self, logical_id: str) -> str:
        return self.resolver.ref(logical_id)

    def arn(self, logical_id: str) -> str:
        return self.resolver.get_att(logical_id, "Arn")


def client(service: str, endpoint: str):
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


def provision(endpoint: str, template: dict | None = None) -> Provisioned:
    template = template or cfn.load_template()
    resolver = cfn.Resolver(
        template,
        pseudo={
            "AWS::Region": REGION,
            "AWS::AccountId": ACCOUNT,
            "AWS::StackName": STACK,
            "AWS::Partition": "aws",
            "AWS::URLSuffix": "amazonaws.com",
        },
    )
    _secrets(template, resolver, client("secretsmanager", endpoint))
    _queues(template, resolver, client("sqs", endpoint))
    _queue_policies(template, resolver, client("sqs", endpoint))
    _tables(template, resolver, client("dynamodb", endpoint))
    _buckets(template, resolver, client("s3", endpoint))
    _mail(template, resolver, client("sesv2", endpoint))
    _user_pools(template, resolver, client("cognito-idp", endpoint))
    return Provisioned(resolver)


def _secrets(template, resolver, secretsmanager) -> None:
    """Secrets made at deploy (`GenerateSecretString`): a fresh random value per local stack."""
    for name, spec in cfn.resources(template, "AWS::SecretsManager::Secret").items():
        props = resolver.resolve(spec.get("Properties", {}))
        generate = props.get("GenerateSecretString", {})
        value = secretsmanager.get_random_password(
            PasswordLength=int(generate.get("PasswordLength", 32)),
            ExcludePunctuation=bool(generate.get("ExcludePunctuation", False)),
        )["RandomPassword"]
        created = secretsmanager.create_secret(Name=props.get("Name", f"{STACK}-{name}"), SecretString=value)
        resolver.physical[name] = created["ARN"]
        resolver.secrets[created["ARN"]] = value


def _queues(template, resolver, sqs) -> None:
    pending = dict(cfn.resources(template, "AWS::SQS::Queue"))
    while pending:
        progressed = False
        for name, spec in list(pending.items()):
            props = spec.get("Properties", {})
            try:
                attributes = {
                    key: json.dumps(resolver.resolve(value)) if key == "RedrivePolicy" else str(value).lower()
                    if isinstance(value, bool) else str(value)
                    for key, value in props.items()
                    if key not in ("QueueName", "Tags")
                }
            except KeyError:
                continue  # its dead-letter queue is not created yet
            queue_name = props.get("QueueName", f"{STACK}-{name}")
            url = sqs.create_queue(QueueName=queue_name, Attributes=attributes)["QueueUrl"]
            arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
            resolver.physical[name] = url
            resolver.attributes[(name, "Arn")] = arn
            resolver.attributes[(name, "QueueName")] = queue_name
            resolver.attributes[(name, "QueueUrl")] = url
            del pending[name]
            progressed = True
        if not progressed:
            raise RuntimeError(f"queues with unresolvable references: {sorted(pending)}")


def _queue_policies(template, resolver, sqs) -> None:
    for name, spec in cfn.resources(template, "AWS::SQS::QueuePolicy").items():
        props = resolver.resolve(spec["Properties"])
        for url in props["Queues"]:
            sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": json.dumps(props["PolicyDocument"])})
        resolver.physical[name] = name


def _tables(template, resolver, dynamodb) -> None:
    for name, spec in cfn.resources(template, "AWS::DynamoDB::Table").items():
        props = resolver.resolve(spec["Properties"])
        table_name = props.get("TableName", f"{STACK}-{name}")
        dynamodb.create_table(
            TableName=table_name,
            AttributeDefinitions=props["AttributeDefinitions"],
            KeySchema=props["KeySchema"],
            GlobalSecondaryIndexes=props.get("GlobalSecondaryIndexes", []),
            BillingMode=props.get("BillingMode", "PAY_PER_REQUEST"),
            SSESpecification={"Enabled": props.get("SSESpecification", {}).get("SSEEnabled", False)},
            DeletionProtectionEnabled=props.get("DeletionProtectionEnabled", False),
        )
        ttl = props.get("TimeToLiveSpecification")
        if ttl:
            dynamodb.update_time_to_live(TableName=table_name, TimeToLiveSpecification=ttl)
        pitr = props.get("PointInTimeRecoverySpecification")
        if pitr:
            dynamodb.update_continuous_backups(
                TableName=table_name, PointInTimeRecoverySpecification=pitr
            )
        arn = dynamodb.describe_table(TableName=table_name)["Table"]["TableArn"]
        resolver.physical[name] = table_name
        resolver.attributes[(name, "Arn")] = arn


def _buckets(template, resolver, s3) -> None:
    for name, spec in cfn.resources(template, "AWS::S3::Bucket").items():
        props = resolver.resolve(spec["Properties"])
        bucket = props.get("BucketName", f"{STACK}-{name}".lower())
        s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
        if "PublicAccessBlockConfiguration" in props:
            s3.put_public_access_block(
                Bucket=bucket, PublicAccessBlockConfiguration=props["PublicAccessBlockConfiguration"]
            )
        if "BucketEncryption" in props:
            rules = [
                {"ApplyServerSideEncryptionByDefault": rule["ServerSideEncryptionByDefault"]}
                for rule in props["BucketEncryption"]["ServerSideEncryptionConfiguration"]
            ]
            s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration={"Rules": rules})
        if "VersioningConfiguration" in props:
            s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration=props["VersioningConfiguration"])
        if "LifecycleConfiguration" in props:
            s3.put_bucket_lifecycle_configuration(
                Bucket=bucket, LifecycleConfiguration={"Rules": [lifecycle_rule(r) for r in props["LifecycleConfiguration"]["Rules"]]}
            )
        if "CorsConfiguration" in props:
            rules = [
                {("MaxAgeSeconds" if key == "MaxAge" else key): value for key, value in rule.items()}
                for rule in props["CorsConfiguration"]["CorsRules"]
            ]
            s3.put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": rules})
        notifications = props.get("NotificationConfiguration", {}).get("QueueConfigurations", [])
        if notifications:
            s3.put_bucket_notification_configuration(
                Bucket=bucket,
                NotificationConfiguration={
                    "QueueConfigurations": [
                        {
                            "QueueArn": n["Queue"],
                            "Events": [n["Event"]],
                            **(
                                {"Filter": {"Key": {"FilterRules": n["Filter"]["S3Key"]["Rules"]}}}
                                if "Filter" in n
                                else {}
                            ),
                        }
                        for n in notifications
                    ]
                },
            )
        resolver.physical[name] = bucket
        resolver.attributes[(name, "Arn")] = f"arn:aws:s3:::{bucket}"
    for spec in cfn.resources(template, "AWS::S3::BucketPolicy").values():
        try:
            props = resolver.resolve(spec["Properties"])
        except KeyError:
            continue  # it names what exists only in AWS (the web client's CloudFront distribution)
        document = dict(props["PolicyDocument"])
        # The emulator enforces bucket policies but speaks plain HTTP: a TLS-only rule would refuse everything.
        document["Statement"] = [
            statement for statement in document["Statement"]
            if "aws:SecureTransport" not in json.dumps(statement.get("Condition", {}))
        ]
        s3.put_bucket_policy(Bucket=props["Bucket"], Policy=json.dumps(document))


def lifecycle_rule(rule: dict) -> dict:
    """A CloudFormation lifecycle rule in the S3 API's shape."""
    shaped = {"ID": rule["Id"], "Status": rule["Status"], "Filter": {"Prefix": rule.get("Prefix", "")}}
    if "ExpirationInDays" in rule:
        shaped["Expiration"] = {"Days": rule["ExpirationInDays"]}
    if "NoncurrentVersionExpiration" in rule:
        shaped["NoncurrentVersionExpiration"] = {"NoncurrentDays": rule["NoncurrentVersionExpiration"]["NoncurrentDays"]}
    return shaped


def _mail(template, resolver, sesv2) -> None:
    for name, spec in cfn.resources(template, "AWS::SES::ConfigurationSet").items():
        props = resolver.resolve(spec.get("Properties", {}))
        set_name = props.get("Name", f"{STACK}-{name}")
        sesv2.create_configuration_set(
            ConfigurationSetName=set_name,
            SendingOptions=props.get("SendingOptions", {"SendingEnabled": True}),
            ReputationOptions=props.get("ReputationOptions", {}),
        )
        resolver.physical[name] = set_name
    for name, spec in cfn.resources(template, "AWS::SES::EmailIdentity").items():
        create_mail_identity(sesv2, resolver.resolve(spec["Properties"]))
        resolver.physical[name] = resolver.resolve(spec["Properties"])["EmailIdentity"]


def create_mail_identity(sesv2, props: dict) -> None:
    """Verifies at once in the emulator (in AWS: DNS records for the domain)."""
    sesv2.create_email_identity(
        EmailIdentity=props["EmailIdentity"],
        **(
            {"ConfigurationSetName": props["ConfigurationSetAttributes"]["ConfigurationSetName"]}
            if "ConfigurationSetAttributes" in props
            else {}
        ),
    )


POOL_KEYS = ["Policies", "UsernameAttributes", "AutoVerifiedAttributes", "AdminCreateUserConfig",
             "AccountRecoverySetting", "MfaConfiguration"]
CLIENT_KEYS = ["GenerateSecret", "ExplicitAuthFlows", "PreventUserExistenceErrors", "AccessTokenValidity",
               "IdTokenValidity", "RefreshTokenValidity", "TokenValidityUnits"]


def _user_pools(template, resolver, cognito) -> None:
    for name, spec in cfn.resources(template, "AWS::Cognito::UserPool").items():
        props = resolver.resolve(spec["Properties"])
        pool = cognito.create_user_pool(
            PoolName=props.get("UserPoolName", f"{STACK}-{name}"),
            **{key: props[key] for key in POOL_KEYS if key in props},
        )["UserPool"]
        resolver.physical[name] = pool["Id"]
        resolver.attributes[(name, "Arn")] = pool["Arn"]
    for name, spec in cfn.resources(template, "AWS::Cognito::UserPoolClient").items():
        props = resolver.resolve(spec["Properties"])
        created = cognito.create_user_pool_client(
            UserPoolId=props["UserPoolId"],
            ClientName=props.get("ClientName", f"{STACK}-{name}"),
            **{key: props[key] for key in CLIENT_KEYS if key in props},
        )["UserPoolClient"]
        resolver.physical[name] = created["ClientId"]
