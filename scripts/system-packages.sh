#!/usr/bin/env bash
# Debian packages SaferPlan needs: Chromium for the browser tests, Pango for PDF reports; with --test, LibreOffice.
# Installs only what is missing.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
fc-list 2>/dev/null | grep -qi dejavu || need+=(fonts-dejavu-core)
# WeasyPrint (PDF reports) needs Pango
dpkg -s libpango-1.0-0 >/dev/null 2>&1 || need+=(libpango-1.0-0)
dpkg -s libpangoft2-1.0-0 >/dev/null 2>&1 || need+=(libpangoft2-1.0-0)
# cairosvg (charts as images in Word reports) needs Cairo
dpkg -s libcairo2 >/dev/null 2>&1 || need+=(libcairo2)
# Fonts for the scripts plans print their "other languages" lines in (Chinese, Punjabi, Bengali, Hindi; DejaVu
# has Arabic and Urdu), so that PDFs show them rather than empty boxes
fc-list :lang=zh 2>/dev/null | grep -q . || need+=(fonts-wqy-microhei)
fc-list :lang=pa 2>/dev/null | grep -q . || need+=(fonts-lohit-guru)
fc-list :lang=bn 2>/dev/null | grep -q . || need+=(fonts-lohit-beng-bengali)
fc-list :lang=hi 2>/dev/null | grep -q . || need+=(fonts-lohit-deva)
# pdfinfo and pdftoppm, to check rendered PDFs in the tests
command -v pdfinfo >/dev/null 2>&1 || need+=(poppler-utils)
# With --test: LibreOffice, which the tests use to check that every Word and Excel report opens without repair
# (libreoffice --headless --convert-to pdf); only its writer and calc, without a GUI.
office=()
if [ "${1:-}" = "--test" ]; then
  command -v soffice >/dev/null 2>&1 || office+=(libreoffice-writer-nogui libreoffice-calc-nogui)
fi
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
if [ $((${#need[@]} + ${#office[@]})) -gt 0 ]; then
  $SUDO apt-get update -qq
fi
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${need[*]}"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
if [ ${#office[@]} -gt 0 ]; then
  echo "Installing Debian packages for the tests: ${office[*]}"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${office[@]}" >/dev/null
fi
