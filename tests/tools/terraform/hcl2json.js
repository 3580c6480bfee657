// Prints the JSON form of HCL files (the @cdktf/hcl2json parser). With one file it prints that
// file's JSON; with several, one object mapping each file name to its JSON. Exits 1 with the
// parser's message when a file does not parse.
//   hcl2json FILE.tf [FILE.tf ...]
const fs = require('fs');
const { parse } = require('@cdktf/hcl2json');

async function main(files) {
  if (files.length === 0) {
    console.error('usage: hcl2json FILE.tf [FILE.tf ...]');
    process.exit(2);
  }
  const out = {};
  for (const file of files) {
    try {
      out[file] = await parse(file, fs.readFileSync(file, 'utf8'));
    } catch (err) {
      console.error(`${file}: ${err && err.message ? err.message : err}`);
      process.exit(1);
    }
  }
  process.stdout.write(JSON.stringify(files.length === 1 ? out[files[0]] : out));
  process.stdout.write('\n');
}

main(process.argv.slice(2));
