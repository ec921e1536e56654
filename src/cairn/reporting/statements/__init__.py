"""The LRS's statements for people and BI tools: REST tokens, flat fields, CSV."""
