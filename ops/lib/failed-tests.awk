# Prints each failed test's name and its message (not the stack), once per test, so the end of a long log says what failed.
/^failed / { name = $2; if (name in seen) { grab = 0; next } seen[name] = 1
             shown++; if (shown > 20) { more++; grab = 0; next } print; grab = 1; n = 0; next }
grab && /^    at / { grab = 0; next }
grab && /^  from / { next }
grab { if (++n <= 12) print; else grab = 0 }
END { if (more) print "… and " more " more failed tests (see above)" }
