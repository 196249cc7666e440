#!/usr/bin/env bash
# `npm run bazaar -- …`: the operations CLI, logged in to the local stack as its admin unless a
# login is set (CASSANDRA_USERNAME / CASSANDRA_PASSWORD, NATS_USER / NATS_PASSWORD).
source "$(dirname "$0")/lib.sh"

export_stack_logins
exec node cli/dist/main.js "$@"
