# shellcheck shell=bash
# Debian's Chromium and its driver, for the dashboard's browser test. They are not on a new
# machine of this kind (FACTS.md), and test tools' own browser downloads cannot work here.

ensure_chromium() {
    [[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]] && return 0
    apt_install "the browser test" chromium chromium-driver
}
