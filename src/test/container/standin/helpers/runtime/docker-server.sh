#!/bin/bash
# Stand-in for the official image's entry point: runs the command it is given.
exec "$@"
