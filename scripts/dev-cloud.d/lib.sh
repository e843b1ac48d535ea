# shellcheck shell=bash
# Common helpers for scripts/dev-cloud: messages, secrets, detached daemons, waits.
# Sourced by scripts/dev-cloud; relies on DH, ETC, LOG_DIR, RUN_DIR being set.

say() { printf 'dev-cloud: %s\n' "$*" >&2; }
die() { printf 'dev-cloud: error: %s\n' "$*" >&2; exit 1; }

# Colour only on a terminal (or when forced), so logs and CI output stay plain.
if [[ -t 1 || -n "${FORCE_COLOR:-}" ]]; then C_OK=$'\e[32m'; C_BAD=$'\e[31m'; C_OFF=$'\e[0m'; else C_OK=''; C_BAD=''; C_OFF=''; fi

now_s() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now_s)" 'BEGIN { printf "%.1f", b - a }'; }

# ---- secrets --------------------------------------------------------------
# Generated once, kept in the state dir (0600), never in the repo.
SECRETS_FILE_NAMES=(ADMIN_PASSWORD DEMO_PASSWORD ALT_PASSWORD RESELLER_PASSWORD
  SWIFT_PASSWORD GLANCE_PASSWORD NEUTRON_PASSWORD PLACEMENT_PASSWORD NOVA_PASSWORD CINDER_PASSWORD
  KEYSTONE_DB_PASSWORD GLANCE_DB_PASSWORD NEUTRON_DB_PASSWORD PLACEMENT_DB_PASSWORD NOVA_DB_PASSWORD
  CINDER_DB_PASSWORD RABBIT_PASSWORD SWIFT_HASH_PREFIX SWIFT_HASH_SUFFIX
  DESIGNATE_PASSWORD DESIGNATE_DB_PASSWORD RNDC_SECRET HEAT_PASSWORD HEAT_DB_PASSWORD HEAT_DOMAIN_PASSWORD)

gen_secret() { local s=''; while ((${#s} < 24)); do s+=$(head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9'); done; printf '%s' "${s:0:24}"; }

load_secrets() {
  local f="$DH/secrets.env" name changed=0
  umask 077
  [[ -f "$f" ]] || : >"$f"
  chmod 600 "$f"
  # shellcheck disable=SC1090
  source "$f"
  for name in "${SECRETS_FILE_NAMES[@]}"; do
    if [[ -z "${!name:-}" ]]; then
      printf -v "$name" '%s' "$(gen_secret)"
      printf '%s=%s\n' "$name" "${!name}" >>"$f"
      changed=1
    fi
  done
  umask 022
  ((changed)) && say "generated passwords in $f" || true
}

# ---- daemons --------------------------------------------------------------
pid_file() { printf '%s/%s.pid' "$RUN_DIR" "$1"; }
log_file() { printf '%s/%s.log' "$LOG_DIR" "$1"; }

# A PID counts as ours only if its command line mentions the state dir:
# after a reboot a stale PID file may point at an unrelated process.
# find_pid NAME: sets DAEMON_PID without a fork (a `$(daemon_pid …)` forks a subshell;
# `status` looks at every daemon, and on 2 cores the forks add up to seconds).
find_pid() {
  DAEMON_PID=""
  local f pid
  f="$RUN_DIR/$1.pid"
  [[ -s "$f" ]] || return 1
  pid=$(<"$f")
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  pid_running "$pid" || return 1
  local args=()
  mapfile -d '' args <"/proc/$pid/cmdline" 2>/dev/null || return 1
  [[ "${args[*]}" == *"$DH"* ]] || return 1
  DAEMON_PID=$pid
}
daemon_pid() { find_pid "$1" && printf '%s' "$DAEMON_PID"; }
daemon_alive() { find_pid "$1"; }

# daemon_start NAME CMD...: start detached in its own session, PID file, log file.
daemon_start() {
  local name=$1; shift
  daemon_alive "$name" && return 0
  local log pidf
  log=$(log_file "$name"); pidf=$(pid_file "$name")
  mkdir -p "$RUN_DIR" "$LOG_DIR"
  rm -f "$pidf"
  printf '=== %s dev-cloud starting %s\n' "$(date -u +%FT%TZ)" "$name" >>"$log"
  # The inner shell writes its own PID and execs the daemon, so the PID file is right
  # whether or not setsid had to fork.
  # Daemons must inherit no descriptor but 0-2: not our lock (fd 9), which they would hold
  # forever, nor a caller's pipe, which would never see EOF while the cloud runs.
  setsid bash -c 'echo $$ >"$0"
    for fd in $(ls /proc/$$/fd); do [ "$fd" -gt 2 ] && eval "exec $fd>&-" 2>/dev/null; done
    exec "$@"' "$pidf" "$@" >>"$log" 2>&1 </dev/null 9>&- &
  local i
  for i in $(seq 1 50); do [[ -s "$pidf" ]] && break; sleep 0.05; done
  STARTED_NOW+=("$name")
}

# A zombie counts as gone: nobody may reap our detached daemons promptly.
pid_running() {
  local line
  { read -r line <"/proc/$1/stat"; } 2>/dev/null || return 1
  line=${line##*) } # the state follows the command name, which may hold spaces
  [[ -n "$line" && "${line%% *}" != Z ]]
}

# Stop daemons (whole process groups, workers included) together: TERM, wait, then KILL.
daemons_stop() {
  local name pid pids=() names=() i
  for name in "$@"; do
    if pid=$(daemon_pid "$name"); then
      kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
      pids+=("$pid"); names+=("$name")
    fi
    rm -f "$(pid_file "$name")"
  done
  for i in $(seq 1 150); do
    local alive=0
    for pid in "${pids[@]}"; do pid_running "$pid" && alive=1; done
    ((alive)) || break
    sleep 0.1
  done
  for i in "${!pids[@]}"; do
    if pid_running "${pids[i]}"; then
      say "${names[i]} did not stop on TERM within 15s; killing it"
      kill -KILL -- "-${pids[i]}" 2>/dev/null || kill -KILL "${pids[i]}" 2>/dev/null || true
    fi
    say "stopped ${names[i]}"
  done
}

# wait_up NAME TIMEOUT: poll check_<NAME> until it passes; fail naming the log.
wait_up() {
  local name=$1 timeout=$2 t0 fn
  fn="check_${name//-/_}"
  t0=$(date +%s)
  while :; do
    if "$fn" >/dev/null 2>&1; then return 0; fi
    if ! daemon_alive "$name"; then
      die "$name exited during start-up; see $(log_file "$name")"
    fi
    if (($(date +%s) - t0 >= timeout)); then
      die "$name did not answer within ${timeout}s ($(endpoint_of "$name")); see $(log_file "$name")"
    fi
    sleep 0.5
  done
}

# Probing many daemons at once (`status`, `start` on a running cloud) must not fork a curl
# per check: on 2 cores 30 forks take seconds. PROBE_MODE=collect makes http_ok/tcp_ok only
# note what they would ask (and succeed); probe_batch then asks everything at once (one
# curl for all URLs); PROBE_MODE=cached answers from those results.
PROBE_MODE=""
PROBE_TOUCHED=0
PROBE_URLS=()
PROBE_PORTS=()
PROBE_NCMD=0
PROBE_DIR=""
declare -A PROBE_HTTP=() PROBE_TCP=() PROBE_CMD=()

# http_ok URL [CODES...]: true if the URL answers with one of the codes (default 200).
http_ok() {
  local url=$1; shift
  local code
  case $PROBE_MODE in
    collect) PROBE_URLS+=("$url"); PROBE_TOUCHED=$((PROBE_TOUCHED + 1)); return 0 ;;
    cached) code=${PROBE_HTTP[$url]:-000} ;;
    *) code=$(curl -s -o /dev/null -m 5 -w '%{http_code}' "$url" 2>/dev/null) || return 1 ;;
  esac
  local want
  for want in "${@:-200}"; do [[ "$code" == "$want" ]] && return 0; done
  return 1
}

# tcp_ok PORT: something accepts connections on 127.0.0.1:PORT.
tcp_ok() {
  case $PROBE_MODE in
    collect) PROBE_PORTS+=("$1"); PROBE_TOUCHED=$((PROBE_TOUCHED + 1)); return 0 ;;
    cached) [[ ${PROBE_TCP[$1]:-0} == 1 ]]; return ;;
  esac
  timeout 3 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
}

# cmd_ok CMD...: CMD (a command or function) succeeds. In the collect pass it starts in the
# background at once, so the few checks that need a command run beside the batched HTTP.
cmd_ok() {
  local key="$*"
  case $PROBE_MODE in
    collect)
      PROBE_TOUCHED=$((PROBE_TOUCHED + 1))
      [[ -n "${PROBE_CMD[$key]:-}" ]] && return 0
      PROBE_NCMD=$((PROBE_NCMD + 1))
      PROBE_CMD[$key]=$PROBE_NCMD
      if declare -F "$1" >/dev/null; then
        ( "$@" >/dev/null 2>&1; echo $? >"$PROBE_DIR/cmd.$PROBE_NCMD" ) &
      else
        ( timeout 5 "$@" >/dev/null 2>&1; echo $? >"$PROBE_DIR/cmd.$PROBE_NCMD" ) &
      fi
      return 0 ;;
    cached)
      local rc=1
      [[ -f "$PROBE_DIR/cmd.${PROBE_CMD[$key]:-x}" ]] && read -r rc <"$PROBE_DIR/cmd.${PROBE_CMD[$key]}"
      [[ $rc == 0 ]]; return ;;
  esac
  "$@" >/dev/null 2>&1
}

# probe_batch: fills PROBE_HTTP (url -> status code) and PROBE_TCP (port -> 1/0) for what
# the collect pass noted: all URLs in one parallel curl, all ports in one subshell.
probe_batch() {
  local out port url code args=() tcp_out
  if ((${#PROBE_URLS[@]})); then
    for url in "${PROBE_URLS[@]}"; do args+=(-o /dev/null "$url"); done
    out=$(curl -s -Z --parallel-max 64 -m 3 -w '%{http_code} %{url}\n' "${args[@]}" 2>/dev/null || true)
    while read -r code url; do [[ -n "$url" ]] && PROBE_HTTP[$url]=$code; done <<<"$out"
  fi
  if ((${#PROBE_PORTS[@]})); then
    tcp_out=$(timeout 3 bash -c 'for p; do (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null && echo "$p 1" || echo "$p 0"; done' _ "${PROBE_PORTS[@]}" 2>/dev/null || true)
    while read -r port code; do [[ -n "$port" ]] && PROBE_TCP[$port]=$code; done <<<"$tcp_out"
  fi
  wait # the commands cmd_ok started
}

# Write a file only when its content changed, so re-runs keep mtimes (and stay quiet).
write_file() {
  local path=$1 mode=${2:-644} tmp
  mkdir -p "$(dirname "$path")"
  tmp=$(mktemp "$path.XXXXXX")
  cat >"$tmp"
  chmod "$mode" "$tmp"
  if [[ -f "$path" ]] && cmp -s "$tmp" "$path"; then rm -f "$tmp"; else mv -f "$tmp" "$path"; fi
}

marker_done() { [[ -f "$DH/markers/$1" ]]; }
marker_set() { mkdir -p "$DH/markers"; date -u +%FT%TZ >"$DH/markers/$1"; }
