#!/usr/bin/env bash
# The signed, notarised macOS disk image of PDD Desktop. Not yet run: it is the recipe for the
# first macOS release (see README.md, "macOS").
#
# Needs: a Mac with Xcode's command-line tools, Python 3.12 from python.org (universal2),
# a "Developer ID Application" certificate in the keychain, and a notarytool profile:
#   xcrun notarytool store-credentials pdd-notary --apple-id ID --team-id TEAM --password APP_PW
#
#   SIGN_ID="Developer ID Application: NAME (TEAM)" docs/release/make-dmg.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

: "${SIGN_ID:?set SIGN_ID to the Developer ID Application identity}"
NOTARY_PROFILE="${NOTARY_PROFILE:-pdd-notary}"
VERSION="$(python3 -c 'import tomllib;print(tomllib.load(open("pyproject.toml","rb"))["project"]["version"])')"
APP="dist/PDDDesktop.app"
DMG="dist/PDDDesktop-${VERSION}.dmg"

make build BUILD_PYTHON="${BUILD_PYTHON:-python3.12}"
QT_QPA_PLATFORM=offscreen "$APP/Contents/MacOS/PDDDesktop" selftest

# Hardened runtime, every nested library first (codesign --deep does not sign in the right order).
find "$APP/Contents" -type f \( -name "*.so" -o -name "*.dylib" -o -perm -u+x \) -print0 |
  xargs -0 codesign --force --timestamp --options runtime --sign "$SIGN_ID"
codesign --force --timestamp --options runtime \
  --entitlements docs/release/entitlements.plist --sign "$SIGN_ID" "$APP"
codesign --verify --strict --verbose=2 "$APP"

rm -f "$DMG"
hdiutil create -volname "拼多多商家桌面助手" -srcfolder "$APP" -ov -format UDZO "$DMG"
codesign --force --timestamp --sign "$SIGN_ID" "$DMG"
xcrun notarytool submit "$DMG" --keychain-profile "$NOTARY_PROFILE" --wait
xcrun stapler staple "$DMG"
spctl --assess --type open --context context:primary-signature --verbose "$DMG"
echo "$DMG"
