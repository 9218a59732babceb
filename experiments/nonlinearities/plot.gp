# plot.gp - the limiting NTK Theta(L)(x0, x) on the unit circle (black) for every
# nonlinearity of the table, one panel each, beside the empirical NTK of wide networks:
# the mean over seeds (colour) and a +-1 standard deviation band. Each panel's title
# says whether the limit is a closed form or 2-D quadrature, and the relative distance
# of the empirical mean to the limit.
# Run by make: gnuplot -e "data='DIR'; fig='PREFIX'; ext='png|pdf'; profile='NAME';
#   label='NAME, KEY=VALUE ...'" plot.gp   (label: the profile and the parameters set
#   on the command line, shown on the figure)
if (!exists('label')) label = profile
if (ext eq 'png') {
  set terminal pngcairo size 1400,720 enhanced font 'Sans,10'
} else {
  set terminal pdfcairo size 10in,5.2in enhanced font 'Sans,9'
}
set output fig.'.'.ext

lim = data.'/limit.dat'
emp = data.'/empirical.dat'
sum = data.'/summary.dat'
names = system("awk '/^# columns:/ {for (i = 4; i <= NF; i++) printf \"%s \", $i; exit}' ".lim)
K = words(names)
# per nonlinearity: closed (1/0) and rel_dist from summary.dat, in the same order
closed(i) = system(sprintf("awk '!/^#/ && NF && $1 == \"%s\" {print $2}' %s", word(names, i), sum)) + 0
reldist(i) = system(sprintf("awk '!/^#/ && NF && $1 == \"%s\" {print $4}' %s", word(names, i), sum)) + 0
width = system("awk '/^# width = / {print $4}' ".sum)
seeds = system("awk '/^# seeds = / {print $4}' ".sum)
depth = system("awk '/^# depth = / {print $4}' ".sum)
colour(i) = word('#1f77b4 #d62728 #2ca02c #9467bd #ff7f0e #8c564b #e377c2 #17becf', (i - 1) % 8 + 1)

cols = K > 4 ? 4 : K
rows = (K + cols - 1) / cols
set xrange [-pi:pi]
set xtics ('-{/Symbol p}' -pi, '-{/Symbol p}/2' -pi/2, '0' 0, '{/Symbol p}/2' pi/2, '{/Symbol p}' pi)
set grid lc rgb 'gray85'
set key top left font ',8' samplen 2 opaque
set multiplot layout rows, cols title sprintf( \
  'Limiting NTK {/Symbol Q}^{(%s)}(x_0, x) on the circle (black) and the empirical NTK at width %s (mean, band: ± 1 std over %s seeds); profile: %s', \
  depth, width, seeds, label) font ',11'
do for [i = 1:K] {
  set title sprintf('%s  (%s; mean off %.2g %%)', word(names, i), closed(i) ? 'closed form' : 'quadrature', 100 * reldist(i)) font ',10'
  if (i > (rows - 1) * cols) { set xlabel '{/Symbol g}' } else { unset xlabel }
  if (i == 1) { set key } else { unset key }
  plot emp using 1:(column(2 * i) - column(2 * i + 1)):(column(2 * i) + column(2 * i + 1)) \
         with filledcurves fs transparent solid 0.25 noborder lc rgb colour(i) title '± 1 std', \
       emp using 1:(column(2 * i)) with lines lw 1.5 lc rgb colour(i) title 'empirical mean', \
       lim using 1:(column(i + 1)) with lines lw 1.5 dt 2 lc rgb 'black' title 'limit'
}
unset multiplot
