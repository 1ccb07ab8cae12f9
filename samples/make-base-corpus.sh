#!/usr/bin/env bash
# Renders a parallel multi-speaker corpus with espeak-ng for a Cantor base-model job
# (params {"task": "base"}): every voice says every sentence, files are named
# <speaker>__<utterance>.wav as the base task expects.
#
#   samples/make-base-corpus.sh OUT_DIR [VOICES] [SENTENCES_FILE]
#
# VOICES is a space-separated list of espeak-ng voice+variant:pitch entries; the default gives 16
# voices (male and female variants, two accents, several pitches). SENTENCES_FILE has one sentence
# per line; the default is 40 Harvard sentences. Needs espeak-ng (apt-get install espeak-ng).
set -euo pipefail

out=${1:?usage: make-base-corpus.sh OUT_DIR [VOICES] [SENTENCES_FILE]}
voices=${2:-"en+m1:40 en+m2:50 en+m4:45 en+m6:55 en+f1:55 en+f3:60 en+f5:50 en+klatt:50 en-us+m3:45 en-us+m5:55 en-us+f2:60 en-us+f4:70 en-us+m7:40 en-gb-scotland+m2:50 en-gb-scotland+f3:65 en-029+m4:50"}
sentences=${3:-}

command -v espeak-ng >/dev/null || { echo "espeak-ng is not installed (apt-get install espeak-ng)" >&2; exit 1; }
mkdir -p "$out"

default_sentences() {
  cat <<'TXT'
The birch canoe slid on the smooth planks.
Glue the sheet to the dark blue background.
It's easy to tell the depth of a well.
These days a chicken leg is a rare dish.
Rice is often served in round bowls.
The juice of lemons makes fine punch.
The box was thrown beside the parked truck.
The hogs were fed chopped corn and garbage.
Four hours of steady work faced us.
A large size in stockings is hard to sell.
The boy was there when the sun rose.
A rod is used to catch pink salmon.
The source of the huge river is the clear spring.
Kick the ball straight and follow through.
Help the woman get back to her feet.
A pot of tea helps to pass the evening.
Smoky fires lack flame and heat.
The soft cushion broke the man's fall.
The salt breeze came across from the sea.
The girl at the booth sold fifty bonds.
The small pup gnawed a hole in the sock.
The fish twisted and turned on the bent hook.
Press the pants and sew a button on the vest.
The swan dive was far short of perfect.
The beauty of the view stunned the young boy.
Two blue fish swam in the tank.
Her purse was full of useless trash.
The colt reared and threw the tall rider.
It snowed, rained, and hailed the same morning.
Read verse out loud for pleasure.
Hoist the load to your left shoulder.
Take the winding path to reach the lake.
Note closely the size of the gas tank.
Wipe the grease off his dirty face.
Mend the coat before you go out.
The wrist was badly strained and hung limp.
The stray cat gave birth to kittens.
The young girl gave no clear response.
The meal was cooked before the bell rang.
What joy there is in living.
TXT
}

if [[ -n "$sentences" ]]; then text=$(cat "$sentences"); else text=$(default_sentences); fi

n=0
while IFS= read -r line; do
  [[ -z "$line" ]] && continue
  n=$((n + 1))
  id=$(printf 's%03d' "$n")
  for entry in $voices; do
    voice=${entry%%:*}
    pitch=${entry##*:}
    speaker=$(echo "$voice" | tr '+' '_')
    espeak-ng -v "$voice" -p "$pitch" -s 150 -w "$out/${speaker}__${id}.wav" "$line"
  done
done <<< "$text"
echo "wrote $(ls "$out" | wc -l) files for $n sentences to $out"
