# tests/system/local.mk: system tests that run the real daemon.
