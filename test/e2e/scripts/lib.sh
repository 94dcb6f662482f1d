# Shared by the scripts here. `field PATH` prints one field of the JSON document on
# stdin (`items.0.prn`), as az's --query or jq would; node is there wherever peridio is.
field() { node -e 'let s="";process.stdin.on("data",(c)=>s+=c).on("end",()=>{const v=process.argv[1].split(".").reduce((o,k)=>o[k],JSON.parse(s));process.stdout.write(String(v))})' "$1"; }
