# plot.gp - Proposition 2: |min_eig / max_eig| of the limiting NTK Gram matrix against
# depth: one panel per (number of points N, input dimension n0), rows by N, columns by
# n0, one colour per nonlinearity. Filled circles: positive definite (ratio above the
# rounding level); open circles: zero at rounding level; crosses: negative beyond it.
# Dotted: the rounding level c N eps of each curve.
# Run by make: gnuplot -e "data='DIR'; fig='PREFIX'; ext='png|pdf'; profile='NAME';
#   label='NAME, KEY=VALUE ...'" plot.gp   (label: the profile and the parameters set
#   on the command line, shown on the figure)
if (!exists('label')) label = profile
f = data.'/ratio.dat'
Ns = system("awk '!/^#/ && NF && !s[$4]++ {print $4}' ".f." | sort -n | tr '\\n' ' '")
nN = words(Ns)
if (ext eq 'png') {
  set terminal pngcairo size 1300, 90 + 330 * nN enhanced font 'Sans,11'
} else {
  set terminal pdfcairo size 10in, (0.7 + 2.6 * nN)*1in enhanced font 'Sans,10'
}
set output fig.'.'.ext

# one data set per (nonlin, n0, N): their names, n0, N and colour (by nonlinearity), in
# data-set order
blocks = system("awk '/^#/ {next} !NF {b = 0; next} !b {b = 1; print $1, $3, $4}' ".f." | \
  awk '{if (!($1 in c)) c[$1] = ++k; printf \"%s %s %s %d \", $1, $2, $3, c[$1]}'")
nb = words(blocks) / 4
bname(b) = word(blocks, 4 * b + 1)
bn0(b) = word(blocks, 4 * b + 2)
bN(b) = word(blocks, 4 * b + 3)
bcol(b) = word(blocks, 4 * b + 4) + 0
n0s = system("awk '!/^#/ && NF && !s[$3]++ {printf \"%s \", $3}' ".f)
nn0 = words(n0s)
colour(i) = word('#1f77b4 #d62728 #2ca02c #9467bd #ff7f0e #8c564b #e377c2 #17becf', (i - 1) % 8 + 1)
floor = 1e-27  # room below the data (rounding level ~1e-16) for the legend
yv(r) = abs(r) > floor ? abs(r) : floor
ptype(v) = v > 0 ? 7 : (v < 0 ? 2 : 6)
# a data set's first appearance in the first panel carries the legend entry
inpanel(b, n0, N) = bn0(b) eq n0 && bN(b) eq N

set logscale y
set format y '10^{%T}'
set yrange [floor:3]
set xrange [0.8:*]
set xtics 1
set grid lc rgb 'gray85'
set key bottom right font ',9' spacing 0.95 maxrows 4 box opaque
set multiplot layout nN, nn0 title \
  'Prop. 2: smallest / largest eigenvalue of the limiting NTK Gram matrix on N points of the sphere (profile: '.label.')' font ',12'
do for [r = 1:nN] {
  N = word(Ns, r)
  do for [a = 1:nn0] {
    n0 = word(n0s, a)
    set title (n0 eq '2' ? sprintf('n_0 = 2: %s equally spaced points on the circle', N) : \
               sprintf('n_0 = %s: %s random points on the sphere', n0, N)) font ',11'
    set xlabel (r == nN ? 'depth L' : '')
    set ylabel (a == 1 ? '|{/Symbol l}_{min} / {/Symbol l}_{max}|' : '') font ',10'
    if (r == 1 && a == 1) { set key } else { unset key }
    if (r == 1 && a == 1) {
      set label 1 'filled: > 0; open: 0 at rounding level; x: < 0; dotted: rounding level c N eps' \
        at graph 0.01, graph 0.95 left font ',9' tc rgb 'gray40'
    }
    plot for [b = 0:nb-1] f index b using 2:(inpanel(b, n0, N) ? yv($7) : NaN):(ptype($9)) \
           with linespoints lw 1.5 ps 1.1 pt variable lc rgb colour(bcol(b)) \
           title (inpanel(b, n0, N) ? bname(b) : ''), \
         for [b = 0:nb-1] f index b using 2:(inpanel(b, n0, N) ? $8 : NaN) with lines dt 3 lw 0.6 \
           lc rgb colour(bcol(b)) notitle
    unset label 1
  }
}
unset multiplot

# Second figure (fig-spectra.ext): the whole spectrum lambda_k / lambda_max, sorted, of
# the Gram matrix at depth 4 (or the deepest depth run) on the largest N, per n0: how
# fast the eigenvalues fall explains which smallest eigenvalues reach rounding level.
if (ext eq 'png') {
  set terminal pngcairo size 1300,620 enhanced font 'Sans,11'
} else {
  set terminal pdfcairo size 10in,4.3in enhanced font 'Sans,10'
}
set output fig.'-spectra.'.ext
floor = 1e-21
set yrange [floor:3]
# spectra.dat has one data set per row of ratio.dat, in the same order
rows = system("awk '!/^#/ && NF {printf \"%s %s %s %s \", $1, $2, $3, $4}' ".f)
nr = words(rows) / 4
Ls = system("awk '!/^#/ && NF {print $2}' ".f." | sort -n | uniq | tr '\\n' ' '")
Lsel = (strstrt(' '.Ls, ' 4 ') > 0) ? 4 : word(Ls, words(Ls)) + 0
Nmax = system("awk '!/^#/ && NF && $4 > m {m = $4} END {print m}' ".f) + 0
rname(r) = word(rows, 4 * r + 1)
rL(r) = word(rows, 4 * r + 2) + 0
rn0(r) = word(rows, 4 * r + 3)
rN(r) = word(rows, 4 * r + 4) + 0
nonlin_list = system("awk '!/^#/ && NF && !s[$1]++ {printf \"%s \", $1}' ".f)
cidx(name) = sum [i = 1:words(nonlin_list)] (word(nonlin_list, i) eq name ? i : 0)
tolmax = system("awk '!/^#/ && NF && $4 == ".Nmax." {print $8; exit}' ".f) + 0
keep(r, n0) = rL(r) == Lsel && rN(r) == Nmax && rn0(r) eq n0
unset xrange
set xrange [1:Nmax]
set xtics auto
set logscale x
set xlabel 'k (eigenvalues sorted, decreasing)'
set key top right font ',9' box opaque
set multiplot layout 1, nn0 title sprintf('Spectrum of the limiting NTK Gram matrix, depth L = %d, N = %d points (profile: %s)', Lsel, Nmax, label) font ',12'
do for [a = 1:nn0] {
  n0 = word(n0s, a)
  set title (n0 eq '2' ? 'n_0 = 2: equally spaced points on the circle' : sprintf('n_0 = %s: random points on the sphere', n0)) font ',11'
  set ylabel '|{/Symbol l}_k| / {/Symbol l}_{max}' font ',10'
  set label 1 sprintf('dotted: rounding level c N eps') at graph 0.02, graph 0.04 left font ',9' tc rgb 'gray40'
  plot for [r = 0:nr-1] data.'/spectra.dat' index r using 1:(keep(r, n0) ? yv($2) : NaN) \
         with lines lw 1.6 lc rgb colour(cidx(rname(r))) title (keep(r, n0) ? rname(r) : ''), \
       tolmax with lines dt 3 lc rgb 'gray40' notitle
  unset label 1
}
unset multiplot
