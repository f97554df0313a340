# src/client/local.mk: dualq, the client (see issue 3).
