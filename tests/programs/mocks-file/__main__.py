"""A program using a data source and a resource output the built-in mocks do not know."""

import pulumi
import pulumi_aws as aws

ami = aws.ec2.get_ami(owners=["amazon"], most_recent=True, filters=[{"name": "name", "values": ["al2023-ami-*"]}])
domain = aws.opensearch.Domain("search", domain_name="logs")
pulumi.export("ami", ami.id)
pulumi.export("endpoint", domain.endpoint)
