"""Attack tests, one module per class of attack (SECURITY.md says what each defends).

test_xss (markup in every field, every way in, every page), test_feed_injection (CR/LF
into every feed), test_ssrf (typed-in sources against a loopback canary), test_bombs
(parser and recurrence bombs in a confined child), test_input_hygiene (lengths, URL
schemes, control characters), test_authorisation (every role on every mutating route),
test_leaks (hidden events and other users' secrets, caches warm), test_query_fuzz (every
route and parameter, no 500), test_sign_in_guessing (throttling and device cookies).
"""
