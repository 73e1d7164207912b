"""Entity extraction: language detection, spaCy pipelines, rules for dates and quantities."""
