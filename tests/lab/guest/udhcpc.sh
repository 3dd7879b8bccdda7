#!/bin/sh
# udhcpc event script for the test guest and for the lab laptop's DHCP uplink: it only configures
# the address and a default route. The metric (the link's index) lets a second DHCP link keep a
# default route of its own instead of failing on the first one's.
case "$1" in
  deconfig)
    ip addr flush dev "$interface"
    ip link set "$interface" up
    ;;
  bound|renew)
    ip addr flush dev "$interface"
    ip addr add "$ip/$mask" dev "$interface"
    for gateway in $router; do
      ip route add default via "$gateway" dev "$interface" metric "$(cat "/sys/class/net/$interface/ifindex")"
      break
    done
    ;;
esac
exit 0
