#!/usr/bin/env bash
# Captures VRRP advertisements sent by the real keepalived (Debian package) and stores the raw
# VRRP message bytes as hex fixtures for tests/Unit/Protocol/KeepalivedFixtureTests.cs.
# NOT run by the test suite. Needs root, keepalived, tcpdump, tshark, text2pcap.
# Usage: capture.sh [--vectors-only]   (--vectors-only: just the offline Wireshark cross-check)
# Network safety: everything happens in two network namespaces created here with a random tag
# (veth pair, 198.51.100.0/24 and 2001:db8::/32 / link-local only) and deleted on exit.
set -euo pipefail
OUT="$(cd "$(dirname "$0")" && pwd)"
TAG="vpc$(printf '%04x' $((RANDOM)))"
NSA="$TAG-a"   # runs keepalived
NSB="$TAG-b"   # captures
WORK="$(mktemp -d)"
cleanup() {
    set +e
    for p in "$WORK"/*.pid; do [ -f "$p" ] && kill "$(cat "$p")" 2>/dev/null; done
    sleep 0.5
    ip netns del "$NSA" 2>/dev/null
    ip netns del "$NSB" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT

# run_case NAME CONFIG-TEXT TSHARK-V3-AS-V2(TRUE|FALSE)
run_case() {
    local name="$1" conf="$WORK/$1.conf" pcap="$WORK/$1.pcap"
    printf '%s\n' "$2" > "$conf"
    ip netns exec "$NSB" timeout 30 tcpdump -U -n -i vb -w "$pcap" -c 3 'ip proto 112 or ip6 proto 112' 2>/dev/null &
    local tcpdump_pid=$!
    sleep 1
    ip netns exec "$NSA" timeout 40 keepalived -n -l -D --vrrp -f "$conf" \
        -p "$WORK/$name.pid" -r "$WORK/$name.vrrp.pid" >"$WORK/$name.log" 2>&1 &
    local ka_pid=$!
    wait "$tcpdump_pid" || true
    kill "$ka_pid" 2>/dev/null || true
    wait "$ka_pid" 2>/dev/null || true
    {
        echo "# keepalived $(keepalived --version 2>&1 | head -1 | cut -d' ' -f2) advertisements, captured by capture.sh"
        echo "# case: $name"
        echo "# keepalived.conf:"
        sed 's/^/#   /' "$conf"
        echo "# tshark verdict (vrrp.v3_checksum_as_in_v2=$3): $(tshark -o "vrrp.v3_checksum_as_in_v2:$3" -r "$pcap" \
            -T fields -e vrrp.checksum.status 2>/dev/null | tr '\n' ' ')(1 = good)"
        echo "# format: source destination ttl/hop-limit vrrp-message-hex"
        # Disable the VRRP dissector so the whole VRRP message comes out as raw data.
        tshark -r "$pcap" --disable-protocol vrrp -T fields -E separator=' ' \
            -e ip.src -e ipv6.src -e ip.dst -e ipv6.dst -e ip.ttl -e ipv6.hlim -e data.data 2>/dev/null
    } > "$OUT/$name.txt"
    echo "== $name"; cat "$OUT/$name.txt"
}

if [ "${1:-}" != "--vectors-only" ]; then
ip netns add "$NSA"
ip netns add "$NSB"
ip link add va netns "$NSA" type veth peer name vb netns "$NSB"
for ns in "$NSA" "$NSB"; do ip -n "$ns" link set lo up; done
ip -n "$NSA" addr add 198.51.100.1/24 dev va
ip -n "$NSB" addr add 198.51.100.2/24 dev vb
ip -n "$NSA" -6 addr add fe80::a/64 dev va nodad
ip -n "$NSB" -6 addr add fe80::b/64 dev vb nodad
ip -n "$NSA" link set va up
ip -n "$NSB" link set vb up

run_case keepalived-v2-pass 'global_defs {
    vrrp_version 2
}
vrrp_instance VI_V2 {
    interface va
    state MASTER
    virtual_router_id 51
    priority 150
    advert_int 1
    authentication {
        auth_type PASS
        auth_pass secret123
    }
    virtual_ipaddress {
        198.51.100.10/24
        198.51.100.11/24
    }
}' FALSE

run_case keepalived-v3-ipv4 'global_defs {
    vrrp_version 3
}
vrrp_instance VI_V3 {
    interface va
    state MASTER
    virtual_router_id 52
    priority 120
    advert_int 0.5
    accept
    virtual_ipaddress {
        198.51.100.20/24
        198.51.100.21/24
        198.51.100.22/24
    }
}' FALSE

run_case keepalived-v3-ipv4-unicast 'global_defs {
    vrrp_version 3
}
vrrp_instance VI_V3U {
    interface va
    state MASTER
    virtual_router_id 53
    priority 110
    advert_int 0.25
    accept
    unicast_src_ip 198.51.100.1
    unicast_peer {
        198.51.100.2
    }
    virtual_ipaddress {
        198.51.100.30/24
    }
}' FALSE

run_case keepalived-v3-ipv6 'global_defs {
    vrrp_version 3
}
vrrp_instance VI_V6 {
    interface va
    state MASTER
    virtual_router_id 54
    priority 200
    advert_int 0.3
    accept
    virtual_ipaddress {
        2001:db8::10/64
        2001:db8::11/64
    }
}' FALSE
fi

# Offline cross-check (no network): feed the hand-computed vectors of KnownAnswerTests.cs to
# Wireshark's VRRP dissector with both settings of its v3 checksum preference and record its
# verdicts. keepalived 2.2.7 (the Debian package) predates v3_checksum_as_v2, so this is the
# independent check of the NoPseudoHeader convention.
# columns: source destination ttl hex tshark(as_in_v2=FALSE) tshark(as_in_v2=TRUE)
verify_vector() {
    local src="$1" dst="$2" hex="$3" flag="-4" pcap="$WORK/kat.pcap"
    case "$src" in *:*) flag="-6";; esac
    echo "$hex" | sed 's/../& /g; s/^/0000 /' > "$WORK/kat.txt"
    text2pcap -q -i 112 "$flag" "$src,$dst" "$WORK/kat.txt" "$pcap" 2>/dev/null
    local def v2
    def=$(tshark -o vrrp.v3_checksum_as_in_v2:FALSE -r "$pcap" -T fields -e vrrp.checksum.status 2>/dev/null)
    v2=$(tshark -o vrrp.v3_checksum_as_in_v2:TRUE -r "$pcap" -T fields -e vrrp.checksum.status 2>/dev/null)
    echo "$src $dst 255 $hex $def $v2"
}
{
    echo "# KnownAnswerTests.cs vectors judged by $(tshark --version 2>/dev/null | head -1), written by capture.sh"
    echo "# format: source destination ttl vrrp-message-hex tshark-default tshark-v3_checksum_as_in_v2 (1 = good, 0 = bad)"
    verify_vector 198.51.100.2 224.0.0.18 2101640101016bf2c63364017061737300000000
    verify_vector 198.51.100.2 224.0.0.18 310ac8020064a748c633640ac633640b
    verify_vector 198.51.100.2 224.0.0.18 310ac8020064b211c633640ac633640b
    verify_vector fe80::1 ff02::12 31076402006410ee20010db800000000000000000000000120010db8000000000000000000000002
} > "$OUT/wireshark-known-answers.txt"
cat "$OUT/wireshark-known-answers.txt"
