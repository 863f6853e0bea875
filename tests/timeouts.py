"""How long a test waits on the server before calling it hung.

A safety stop, not a speed check: long enough that a busy 2-core machine never reaches it
(httpx's 5 s default is not), short enough that a hung server fails the test instead of CI.
"""

HTTP_TIMEOUT_S = 120.0

# A server's start-up (opening a big store, a lifespan loading it) on a loaded machine.
START_LIMIT_S = 600

# The query time limit of the servers the tests share: a load-proof hang guard below HTTP_TIMEOUT_S,
# so a slow answer on a busy machine is still an answer; tests of the limit itself set their own.
QUERY_LIMIT_S = 100.0
