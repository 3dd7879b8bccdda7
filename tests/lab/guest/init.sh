#!/bin/sh
# /init of the KVMNet test guest. What it does comes from kvmnet.* words on the kernel command
# line (written by command-line.ts); what it saw goes to the serial console as marker lines that
# console.ts parses. It powers off at the end, so QEMU (-no-reboot) exits by itself.
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
echo INIT

# option NAME: the value of kvmnet.NAME= on the kernel command line, commas turned into spaces
option() {
  for word in $(cat /proc/cmdline); do
    case "$word" in "kvmnet.$1="*) echo "${word#*=}" | tr , ' '; return ;; esac
  done
}

uptime_s() { cut -d. -f1 /proc/uptime; }

# reach IP SECONDS: PING_OK as soon as one echo comes back, PING_FAIL when the time is up
reach() {
  deadline=$(($(uptime_s) + $2))
  while :; do
    if ping -c 1 -W 1 "$1" >/dev/null 2>&1; then echo "PING_OK $1"; return; fi
    [ "$(uptime_s)" -ge "$deadline" ] && break
    sleep 0.3
  done
  echo "PING_FAIL $1"
}

for module in $(cat /etc/kvmnet-modules); do
  insmod "/lib/modules/$module.ko" || echo "MODULE_FAIL $module"
done

ifaces=$(option ifaces)
for dev in ${ifaces:-eth0}; do
  tries=0
  while [ ! -e "/sys/class/net/$dev" ] && [ $tries -lt 30 ]; do sleep 0.1; tries=$((tries + 1)); done
  if [ ! -e "/sys/class/net/$dev" ]; then echo "NO_DEVICE $dev"; continue; fi
  echo "MAC $dev $(cat "/sys/class/net/$dev/address")"
  ip link set "$dev" up
  static=$(option "addr.$dev")
  if [ -n "$static" ]; then
    ip addr add "$static" dev "$dev" && echo "STATIC ${static%/*} prefix=${static#*/} dev=$dev"
    continue
  fi
  # udhcpc's own chatter would interleave with the markers; the script only configures the link
  if ! udhcpc -i "$dev" -f -q -n -t 8 -T 1 -A 1 -s /etc/udhcpc.script >/dev/null 2>&1; then
    echo "NO_LEASE $dev"
    continue
  fi
  cidr=$(ip -o -4 addr show dev "$dev" | awk '{ print $4; exit }')
  router=$(ip route show default dev "$dev" | awk '/^default/ { print $3; exit }')
  echo "LEASE ${cidr%/*} prefix=${cidr#*/} dev=$dev router=$router"
  [ -n "$router" ] && reach "$router" 5
done

marker=$(option httpd)
if [ -n "$marker" ]; then
  mkdir -p /www
  echo "$marker" > /www/marker
  echo "$marker" > /www/index.html
  httpd -p 80 -h /www && echo "SERVING 80"
fi

wait_s=$(option wait)
for peer in $(option ping); do reach "$peer" "${wait_s:-20}"; done

for url in $(option fetch); do
  # timeout, not wget -T: busybox-static's wget crashes with -T
  if timeout 5 wget -q -O /tmp/body "$url" 2>/dev/null; then
    echo "FETCH_OK $url $(head -n 1 /tmp/body)"
  else
    echo "FETCH_FAIL $url"
  fi
done

stay=$(option stay)
[ -n "$stay" ] && sleep "$stay"
echo DONE
poweroff -f
