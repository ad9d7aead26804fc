#!/bin/sh
# The postgres image runs this once, when the database volume is first created (docker-entrypoint-initdb.d).
# POSTGRES_USER owns the database and its tables and runs the migrations; the portal itself connects as
# GVI_APP_ROLE, which may only read and write rows (app-role-grants.psql). README: "The database roles".
set -eu
: "${GVI_APP_ROLE:?}" "${GVI_APP_PASSWORD:?}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v app_role="$GVI_APP_ROLE" -v app_password="$GVI_APP_PASSWORD" -v owner_role="$POSTGRES_USER" <<'SQL'
CREATE ROLE :"app_role" LOGIN PASSWORD :'app_password';
\i /docker-entrypoint-initdb.d/app-role-grants.psql
SQL
