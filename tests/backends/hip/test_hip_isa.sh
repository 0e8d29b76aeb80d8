#!/usr/bin/env bash
# test_hip_isa.sh - the embedded AMD code objects hold the instructions their kernels exist
# to measure, on every target, in loops that cannot stall on their own dependencies.
#
#   test_hip_isa.sh MODULE:ARCH=CODE_OBJECT ...     (harness/backends/hip/backend.cmake's TPP_HIP_CODE_OBJECTS)
#
# For each kernel, from llvm-objdump-19's disassembly: the innermost loop (a backward
# branch and its target, with no other backward branch inside) holding the most of the
# kernel's instruction must hold exactly the expected number per trip, and no s_nop (wait
# states the compiler inserts for a dependency the hardware does not interlock) and no
# v_accvgpr moves (accumulators shuttled between register files).  From the code object's
# metadata (llvm-readelf-19 --notes): the wave size, no scratch or spills, the kernel
# argument layout the host packs (hip_kernels.h: pointers at 0 and 8, the scalar at 16, no
# hidden arguments), and enough registers left for the waves the launch puts on a SIMD.
# Prints a table of all of it.  Without llvm-objdump-19 the test fails, unless
# TPP_TEST_ALLOW_NO_LLVM=1 (then it is skipped: 77).
set -uo pipefail

objdump=$(command -v llvm-objdump-19 || true)
readelf=$(command -v llvm-readelf-19 || true)
if [ -z "$objdump" ] || [ -z "$readelf" ]; then
  echo "llvm-objdump-19/llvm-readelf-19 not found (scripts/install-deps.sh installs llvm-19)"
  [ "${TPP_TEST_ALLOW_NO_LLVM:-0}" = 1 ] && exit 77
  exit 1
fi

# kernel; targets; instruction (extended regex on the mnemonic); per loop trip;
# blocks per CU (0: bandwidth, not required to be resident at once)
expect=(
  "tpp_hip_fma_f64;gfx90a gfx942 gfx1100 gfx1201;^v_fma_f64$;256;4"
  "tpp_hip_pk_fma_f32;gfx90a gfx942;^v_pk_fma_f32$;256;4"
  "tpp_hip_pk_fma_f32;gfx1100 gfx1201;^v_fma_f32$;512;4"
  "tpp_hip_pk_fma_f16;gfx90a gfx942 gfx1100 gfx1201;^v_pk_fma_f16$;256;4"
  "tpp_hip_mfma_f64;gfx90a;^v_mfma_f64_16x16x4f64$;16;2"
  "tpp_hip_mfma_f32;gfx90a;^v_mfma_f32_32x32x2f32$;16;2"
  "tpp_hip_mfma_f16;gfx90a;^v_mfma_f32_32x32x8f16$;16;2"
  "tpp_hip_mfma_bf16;gfx90a;^v_mfma_f32_32x32x8bf16_1k$;16;2"
  "tpp_hip_mfma_i8;gfx90a;^v_mfma_i32_32x32x8i8$;16;2"
  "tpp_hip_mfma_f64;gfx942;^v_mfma_f64_16x16x4_f64$;16;2"
  "tpp_hip_mfma_f32;gfx942;^v_mfma_f32_32x32x2_f32$;16;2"
  "tpp_hip_mfma_xf32;gfx942;^v_mfma_f32_32x32x4_xf32$;16;2"
  "tpp_hip_mfma_f16;gfx942;^v_mfma_f32_32x32x8_f16$;16;2"
  "tpp_hip_mfma_bf16;gfx942;^v_mfma_f32_32x32x8_bf16$;16;2"
  "tpp_hip_mfma_i8_k16;gfx942;^v_mfma_i32_32x32x16_i8$;16;2"
  "tpp_hip_mfma_fp8;gfx942;^v_mfma_f32_32x32x16_fp8_fp8$;16;2"
  "tpp_hip_mfma_bf8;gfx942;^v_mfma_f32_32x32x16_bf8_bf8$;16;2"
  "tpp_hip_wmma_f16;gfx1100 gfx1201;^v_wmma_f32_16x16x16_f16$;16;2"
  "tpp_hip_wmma_bf16;gfx1100 gfx1201;^v_wmma_f32_16x16x16_bf16$;16;2"
  "tpp_hip_wmma_i8;gfx1100 gfx1201;^v_wmma_i32_16x16x16_iu8$;16;2"
  "tpp_hip_wmma_fp8;gfx1201;^v_wmma_f32_16x16x16_fp8_fp8$;16;2"
  "tpp_hip_wmma_bf8;gfx1201;^v_wmma_f32_16x16x16_bf8_bf8$;16;2"
  "tpp_hip_bw_read;gfx90a gfx942 gfx1100 gfx1201;^global_load_(dwordx4|b128)$;4;0"
  "tpp_hip_bw_write;gfx90a gfx942 gfx1100 gfx1201;^global_store_(dwordx4|b128)$;1;0"
  "tpp_hip_bw_copy;gfx90a gfx942 gfx1100 gfx1201;^global_load_(dwordx4|b128)$;4;0"
  "tpp_hip_bw_copy;gfx90a gfx942 gfx1100 gfx1201;^global_store_(dwordx4|b128)$;4;0"
)

# The best innermost loop of every kernel of a disassembly for a mnemonic regex:
# "kernel count nops accvgpr_moves instructions total_in_kernel"
loops() {
  awk -v RE="$2" '
    function hex(s,   i, v) { v = 0; s = tolower(s); sub(/^0x/, "", s)
      for (i = 1; i <= length(s); i++) v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
      return v }
    /^[0-9a-f]+ <[^>]+>:$/ { k = $2; gsub(/[<>:]/, "", k); base[k] = hex($1); ks[++nk] = k; next }
    /\/\/ [0-9A-F]+:/ && k != "" {
      op = $1; match($0, /\/\/ [0-9A-F]+:/); a = hex(substr($0, RSTART + 3, RLENGTH - 4))
      i = ++n[k]; O[k, i] = op; A[k, i] = a; if (op ~ RE) all[k]++
      if (op ~ /^s_c?branch/ && match($0, /<[^>+]+\+0x[0-9a-f]+>/)) {
        t = substr($0, RSTART + 1, RLENGTH - 2); sub(/^[^+]+\+/, "", t); t = base[k] + hex(t)
        if (t <= a) { nl[k]++; LS[k, nl[k]] = t; LE[k, nl[k]] = a }
      }
    }
    END {
      for (j = 1; j <= nk; j++) {
        k = ks[j]; best = -1; bn = ba = bt = 0
        for (l = 1; l <= nl[k]; l++) {
          inner = 1
          for (o = 1; o <= nl[k]; o++)
            if (o != l && LS[k, o] >= LS[k, l] && LE[k, o] < LE[k, l]) inner = 0
          if (!inner) continue
          m = nop = acc = tot = 0
          for (i = 1; i <= n[k]; i++) if (A[k, i] >= LS[k, l] && A[k, i] <= LE[k, l]) {
            tot++; if (O[k, i] ~ RE) m++; if (O[k, i] == "s_nop") nop++; if (O[k, i] ~ /^v_accvgpr/) acc++ }
          if (m > best) { best = m; bn = nop; ba = acc; bt = tot }
        }
        print k, (best < 0 ? 0 : best), bn, ba, bt, all[k] + 0
      }
    }' "$1"
}

# Per kernel from the metadata: "kernel wave vgpr agpr sgpr kernarg private spills args"
# (args: offset:size:value_kind,...).
meta() {
  "$readelf" --notes "$1" | awk '
    function flush() { if (name != "") print name, wave, vgpr, agpr, sgpr, ksize, priv, spill + 0, (args == "" ? "-" : args)
      name = ""; wave = vgpr = agpr = sgpr = ksize = priv = spill = 0; args = ""; arg = "" }
    function val(line) { sub(/^[^:]*:[ \t]*/, "", line); return line }
    /^  - \./ || /^amdhsa\.target/ { if (arg != "") { args = args (args == "" ? "" : ",") arg; arg = "" }; flush() }
    /^      - \./ { if (arg != "") args = args (args == "" ? "" : ",") arg; arg = "" }
    /^      - \.|^        \./ {
      if ($0 ~ /\.offset:/) arg = arg "o" val($0); if ($0 ~ /\.size:/) arg = arg ":" val($0)
      if ($0 ~ /\.value_kind:/) arg = arg ":" val($0); next }
    /^(  - |    )\.name:/ { name = val($0) }
    /^(  - |    )\.wavefront_size:/ { wave = val($0) }
    /^(  - |    )\.vgpr_count:/ { vgpr = val($0) }
    /^(  - |    )\.agpr_count:/ { agpr = val($0) }
    /^(  - |    )\.sgpr_count:/ { sgpr = val($0) }
    /^(  - |    )\.kernarg_segment_size:/ { ksize = val($0) }
    /^(  - |    )\.private_segment_fixed_size:/ { priv = val($0) }
    /^(  - |    )\.(vgpr|sgpr)_spill_count:/ { spill += val($0) }
    END { if (arg != "") args = args (args == "" ? "" : ",") arg; flush() }'
}

# Waves a SIMD can hold with these registers (LLVM 19's model, which the ISA guides'
# register files give): CDNA 512 VGPRs+AGPRs a lane, allocated by 8, at most 8 waves;
# RDNA3/4 wave32 1536 VGPRs, allocated by 24, at most 16.
occupancy() { # arch vgpr_total
  local arch=$1 v=$2 g total max
  case $arch in gfx9*) g=8 total=512 max=8 ;; *) g=24 total=1536 max=16 ;; esac
  v=$(( (v + g - 1) / g * g )); [ "$v" -lt "$g" ] && v=$g
  local w=$(( total / v )); [ "$w" -gt "$max" ] && w=$max
  echo "$w"
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
declare -A seen
printf '%-22s %-8s %-32s %5s %5s %4s %4s %5s %4s %4s %4s %5s\n' kernel target instruction trip total nop accv insts vgpr agpr sgpr waves
for entry in "$@"; do
  mod=${entry%%:*}; rest=${entry#*:}; arch=${rest%%=*}; co=${rest#*=}
  if [ ! -s "$co" ]; then echo "FAIL: $entry: no code object"; fail=1; continue; fi
  meta "$co" > "$work/meta"
  "$objdump" -d "$co" > "$work/dis"
  while read -r name wave vgpr agpr sgpr ksize priv spill args; do
    seen["$arch:$name"]=0
    want_wave=64; [[ $arch == gfx1* ]] && want_wave=32
    case $name in
      tpp_hip_bw_read|tpp_hip_bw_copy) want_args="o0:8:global_buffer,o8:8:global_buffer,o16:8:by_value" want_size=24 ;;
      tpp_hip_bw_write) want_args="o0:8:global_buffer,o8:8:by_value,o16:4:by_value" want_size=20 ;;
      *) want_args="o0:8:global_buffer,o8:8:global_buffer,o16:4:by_value" want_size=20 ;;
    esac
    problems=""
    [ "$wave" = "$want_wave" ] || problems="$problems wave=$wave"
    [ "$priv" = 0 ] && [ "$spill" = 0 ] || problems="$problems scratch=$priv spills=$spill"
    [ "$args" = "$want_args" ] && [ "$ksize" = "$want_size" ] || problems="$problems kernargs=$ksize:$args"
    echo "$name $arch $wave $vgpr $agpr $sgpr $problems" >> "$work/meta_all"
  done < "$work/meta"
  for e in "${expect[@]}"; do
    IFS=';' read -r kernel targets regex per blocks <<< "$e"
    [[ " $targets " == *" $arch "* ]] || continue
    grep -q "^$kernel " "$work/meta" || continue
    seen["$arch:$kernel"]=1
    read -r _ count nops accv insts total < <(loops "$work/dis" "$regex" | awk -v k="$kernel" '$1 == k')
    read -r _ _ wave vgpr agpr sgpr problems < <(awk -v k="$kernel" -v a="$arch" '$1 == k && $2 == a' "$work/meta_all")
    waves=$(occupancy "$arch" "$vgpr")
    simds=4; [[ $arch == gfx1* ]] && simds=2 # SIMDs a CU: CDNA 4 (SIMD16), RDNA 2 (SIMD32)
    need=$(( blocks * 256 / wave / simds ))
    verdict=""
    [ "$count" = "$per" ] || verdict="$verdict trip:$count!=$per"
    [ "$nops" = 0 ] || verdict="$verdict s_nop:$nops"
    [ "$accv" = 0 ] || verdict="$verdict accvgpr:$accv"
    [ "$waves" -ge "$need" ] || verdict="$verdict waves:$waves<$need"
    [ -z "$problems" ] || verdict="$verdict$problems"
    instr=$(echo "$regex" | sed 's/^\^//; s/\$$//')
    printf '%-22s %-8s %-32s %5s %5s %4s %4s %5s %4s %4s %4s %5s' "$kernel" "$arch" "$instr" "$count" \
      "$total" "$nops" "$accv" "$insts" "$vgpr" "$agpr" "$sgpr" "$waves"
    if [ -n "$verdict" ]; then echo "  FAIL:$verdict"; fail=1; else echo; fi
  done
done
for key in "${!seen[@]}"; do
  if [ "${seen[$key]}" = 0 ]; then echo "FAIL: $key has no expected instruction in this test"; fail=1; fi
done
if [ $fail -ne 0 ]; then
  echo "some kernels lack their instruction or stall (see FAIL above)"
  exit 1
fi
echo "all kernels hold their instructions, unstalled, on every target"
