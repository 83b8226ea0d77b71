"""Foundation every layer shares: findings and file results, errors, escaping of untrusted text, bounded file reads, deadlines and the JSON Schema seam. Imports nothing else of apilint."""
