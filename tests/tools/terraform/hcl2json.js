// Prints the JSON form of one HCL file (the @cdktf/hcl2json parser); exits 1 with the parser's
// message when the file does not parse.
//   node hcl2json.js FILE.tf
const fs = require('fs');
const { parse } = require('@cdktf/hcl2json');

const file = process.argv[2];
if (!file) {
  console.error('usage: hcl2json FILE.tf');
  process.exit(2);
}
parse(file, fs.readFileSync(file, 'utf8'))
  .then((json) => {
    process.stdout.write(JSON.stringify(json));
    process.stdout.write('\n');
  })
  .catch((err) => {
    console.error(`${file}: ${err && err.message ? err.message : err}`);
    process.exit(1);
  });
