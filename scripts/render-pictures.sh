#!/usr/bin/env bash
# Re-render every dialogues/pictures/*.svg to a PNG next to it.
#
# Why: the bot sends the PNGs as Telegram photos (Telegram does not display
# SVG), but the SVGs are the hand-editable source. After a clinician or
# designer edits an SVG, run this script and commit both files.
#
# Needs rsvg-convert (Debian/Ubuntu: apt-get install librsvg2-bin) and the
# DejaVu fonts (apt-get install fonts-dejavu-core) so text renders the same.
set -euo pipefail

cd "$(dirname "$0")/.."

if ! command -v rsvg-convert >/dev/null 2>&1; then
    echo "rsvg-convert not found: install librsvg2-bin" >&2
    exit 1
fi

shopt -s nullglob
svgs=(dialogues/pictures/*.svg)
if [ ${#svgs[@]} -eq 0 ]; then
    echo "no SVG files in dialogues/pictures" >&2
    exit 1
fi

for svg in "${svgs[@]}"; do
    png="${svg%.svg}.png"
    # Render at the SVG's own size (glass-test.svg is 1280x720).
    rsvg-convert --format=png --output="$png" "$svg"
    echo "$svg -> $png ($(wc -c <"$png") bytes)"
done
