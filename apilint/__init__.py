"""apilint: AWS API Gateway pitfalls in OpenAPI/Swagger definitions, found before deploy."""

__version__ = "0.1.0"
