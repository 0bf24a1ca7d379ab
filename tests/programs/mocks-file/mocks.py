"""Answers for `irsa-components plan tests/programs/mocks-file --mocks tests/programs/mocks-file/mocks.py`."""

calls = {
    "aws:ec2/getAmi:getAmi": lambda args: {"id": "ami-0abcdef1234567890", "name": "al2023-ami-2026.1"},
}

resources = {
    "aws:opensearch/domain:Domain": lambda name, inputs: {
        "endpoint": f"search-{inputs['domainName']}-abc123.eu-west-1.es.amazonaws.com"
    },
}
