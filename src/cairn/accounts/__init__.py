"""Users, roles, REST API tokens, LRS credentials; authentication and authorization."""
