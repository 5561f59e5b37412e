#!/usr/bin/env bash
# tls-material.sh DIR: a certificate authority of this machine and a broker certificate it signed
# (for 127.0.0.1 and localhost), made with the JDK's keytool — never committed. Writes
# DIR/ca.p12, DIR/broker.p12 (the broker's key, also its client certificate towards the
# controller) and DIR/truststore.p12 (the CA only: what every client trusts), all with the
# password in DIR/store.password. Does nothing if DIR/broker.p12 exists.
set -euo pipefail
dir=$1
[[ -f $dir/broker.p12 ]] && exit 0
mkdir -p "$dir"
chmod 700 "$dir"
password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
printf '%s' "$password" >"$dir/store.password"
chmod 600 "$dir/store.password"
kt() { keytool -noprompt -storetype PKCS12 -storepass "$password" -keypass "$password" "$@"; }
kt -genkeypair -alias ca -keystore "$dir/ca.p12" -keyalg RSA -keysize 2048 -validity 3650 \
    -dname "CN=customer-event-bus local CA" -ext bc:c
kt -genkeypair -alias broker -keystore "$dir/broker.p12" -keyalg RSA -keysize 2048 -validity 825 \
    -dname "CN=kafka-broker"
kt -exportcert -rfc -alias ca -keystore "$dir/ca.p12" -file "$dir/ca.pem"
kt -certreq -alias broker -keystore "$dir/broker.p12" -file "$dir/broker.csr"
kt -gencert -alias ca -keystore "$dir/ca.p12" -infile "$dir/broker.csr" -outfile "$dir/broker.pem" \
    -rfc -validity 825 -ext "SAN=ip:127.0.0.1,dns:localhost" -ext ku:c=digitalSignature,keyEncipherment \
    -ext eku=serverAuth,clientAuth
kt -importcert -alias ca -keystore "$dir/broker.p12" -file "$dir/ca.pem"
kt -importcert -alias broker -keystore "$dir/broker.p12" -file "$dir/broker.pem"
kt -importcert -alias ca -keystore "$dir/truststore.p12" -file "$dir/ca.pem"
rm -f "$dir/broker.csr"
