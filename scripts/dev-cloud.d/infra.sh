# shellcheck shell=bash
# Shared infrastructure: MariaDB (unix socket only), memcached, and a private rsyslogd
# that gives Swift a unix log socket (without one Swift falls back to UDP on 0.0.0.0).

MYSQL_SOCK() { printf '%s/mysqld.sock' "$RUN_DIR"; }

# SQLAlchemy URL for a service database reached over the unix socket (no TCP listener).
db_url() { printf 'mysql+pymysql://%s:%s@localhost/%s?unix_socket=%s&charset=utf8' "$1" "$2" "$1" "$(MYSQL_SOCK)"; }

mysql_root() { mariadb --no-defaults -S "$(MYSQL_SOCK)" -u root "$@"; }

# ---- mariadb --------------------------------------------------------------
configure_mariadb() {
  mkdir -p "$DH/mysql" "$RUN_DIR" "$LOG_DIR"
  if [[ ! -d "$DH/mysql/mysql" ]]; then
    say "initialising MariaDB data dir"
    mariadb-install-db --no-defaults --basedir=/usr --datadir="$DH/mysql" --user=root \
      --auth-root-authentication-method=socket --skip-test-db >>"$(log_file mariadb)" 2>&1 \
      || die "mariadb-install-db failed; see $(log_file mariadb)"
  fi
}

start_mariadb() {
  daemon_start mariadb mariadbd --no-defaults --basedir=/usr --datadir="$DH/mysql" \
    --socket="$(MYSQL_SOCK)" --pid-file="$RUN_DIR/mariadbd.own.pid" --skip-networking \
    --user=root --log-error="$(log_file mariadb)" --skip-name-resolve --skip-log-bin \
    --max-connections=1000 --innodb-buffer-pool-size=256M --innodb-flush-log-at-trx-commit=2 \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci
}
check_mariadb() { cmd_ok mariadb-admin --no-defaults -S "$RUN_DIR/mysqld.sock" -u root ping; }
endpoint_mariadb() { printf 'unix:%s' "$(MYSQL_SOCK)"; }

# ensure_db NAME PASSWORD: database and its user (idempotent; resets the password).
ensure_db() {
  mysql_root <<SQL
CREATE DATABASE IF NOT EXISTS \`$1\`;
CREATE USER IF NOT EXISTS '$1'@'localhost' IDENTIFIED BY '$2';
ALTER USER '$1'@'localhost' IDENTIFIED BY '$2';
GRANT ALL PRIVILEGES ON \`$1\`.* TO '$1'@'localhost';
FLUSH PRIVILEGES;
SQL
}

# ---- memcached ------------------------------------------------------------
start_memcached() {
  daemon_start memcached memcached -u root -l 127.0.0.1 -p 11211 -U 0 -m 64 -c 1024 \
    -P "$RUN_DIR/memcached.own.pid"
}
check_memcached() { tcp_ok 11211; }
endpoint_memcached() { printf 'tcp:127.0.0.1:11211'; }

# ---- rsyslog (for swift) --------------------------------------------------
SYSLOG_SOCK() { printf '%s/syslog.sock' "$RUN_DIR"; }

configure_rsyslog() {
  mkdir -p "$RUN_DIR/rsyslog"
  local d routes=''
  for d in swift-proxy swift-account swift-container swift-object swift-container-updater \
    swift-object-updater swift-object-expirer; do
    routes+="if \$programname == \"$d\" then { action(type=\"omfile\" file=\"$LOG_DIR/$d.log\" template=\"devcloud\") stop }"$'\n'
  done
  write_file "$ETC/rsyslog.conf" <<EOF
# dev-cloud private syslog: one unix socket input, files only (no network inputs).
global(workDirectory="$RUN_DIR/rsyslog")
module(load="imuxsock" SysSock.Use="off")
input(type="imuxsock" Socket="$(SYSLOG_SOCK)" CreatePath="on")
template(name="devcloud" type="string" string="%timegenerated:::date-rfc3339% %syslogtag%%msg:::sp-if-no-1st-sp%%msg:::drop-last-lf%\n")
$routes
action(type="omfile" file="$LOG_DIR/swift.log" template="devcloud")
EOF
}

start_rsyslog() {
  daemon_start rsyslog rsyslogd -n -f "$ETC/rsyslog.conf" -i "$RUN_DIR/rsyslogd.own.pid"
  # Swift's access loggers (proxy-logging, the expirer's internal client) ignore log_address
  # and use /dev/log, falling back to UDP on 0.0.0.0: give them /dev/log unless a syslog owns it.
  if [[ ! -e /dev/log || "$(readlink /dev/log)" == "$(SYSLOG_SOCK)" ]]; then
    ln -sfn "$(SYSLOG_SOCK)" /dev/log
  fi
}
check_rsyslog() { [[ -S "$(SYSLOG_SOCK)" ]]; }
endpoint_rsyslog() { printf 'unix:%s' "$(SYSLOG_SOCK)"; }

# ---- rabbitmq (for nova and cinder) ----------------------------------------
# The broker script run directly (no init script): listener, distribution port and epmd all
# on 127.0.0.1; node state and cookie under the state dir; log to stdout (our log file).
RABBIT_PORT=5672
rabbit_env() {
  RABBIT_ENV=(HOME="$DH/rabbitmq" RABBITMQ_NODENAME=devcloud@localhost RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
    RABBITMQ_NODE_PORT=$RABBIT_PORT RABBITMQ_DIST_PORT=25672 ERL_EPMD_ADDRESS=127.0.0.1
    RABBITMQ_MNESIA_BASE="$DH/rabbitmq/mnesia" RABBITMQ_LOG_BASE="$LOG_DIR" RABBITMQ_LOGS=-
    RABBITMQ_CONFIG_FILE="$ETC/rabbitmq/rabbitmq.conf" RABBITMQ_CONF_ENV_FILE="$ETC/rabbitmq/rabbitmq-env.conf"
    RABBITMQ_ENABLED_PLUGINS_FILE="$ETC/rabbitmq/enabled_plugins" RABBITMQ_PID_FILE="$RUN_DIR/rabbitmq.own.pid"
    "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS=-kernel inet_dist_use_interface {127,0,0,1}")
}

configure_rabbitmq() {
  mkdir -p "$ETC/rabbitmq" "$DH/rabbitmq/mnesia"
  chmod 700 "$DH/rabbitmq"
  # default_user/default_pass take effect when the node's database is first created.
  write_file "$ETC/rabbitmq/rabbitmq.conf" 600 <<EOF
listeners.tcp.default = 127.0.0.1:$RABBIT_PORT
default_user = devcloud
default_pass = $RABBIT_PASSWORD
default_vhost = /
default_permissions.configure = .*
default_permissions.read = .*
default_permissions.write = .*
loopback_users = none
disk_free_limit.absolute = 50MB
EOF
  write_file "$ETC/rabbitmq/rabbitmq-env.conf" <<<'# dev-cloud: everything is set through the environment'
  write_file "$ETC/rabbitmq/enabled_plugins" <<<'[].'
}

# transport_url for oslo.messaging (the password only goes into 0640 config files).
rabbit_url() { printf 'rabbit://devcloud:%s@127.0.0.1:%s/' "$RABBIT_PASSWORD" "$RABBIT_PORT"; }

start_rabbitmq() {
  rabbit_env
  # The trailing flag is ignored by the broker; it marks the command line as ours (daemon_pid).
  daemon_start rabbitmq env "${RABBIT_ENV[@]}" /usr/lib/rabbitmq/bin/rabbitmq-server -devcloud_home "$DH"
}
check_rabbitmq() { tcp_ok "$RABBIT_PORT"; }
endpoint_rabbitmq() { printf 'amqp://127.0.0.1:%s' "$RABBIT_PORT"; }
