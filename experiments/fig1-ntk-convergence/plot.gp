# plot.gp - Figure 1: Theta(x0, x) of every network at t = 0 (solid) and after
# training (dotted), one colour per width, and the analytic limit Theta(4) (black).
# Run by make: gnuplot -e "data='DIR'; fig='PREFIX'; ext='png|pdf'; profile='NAME';
#   label='NAME, KEY=VALUE ...'" plot.gp   (label: the profile and the parameters set
#   on the command line, shown on the figure)
if (!exists('label')) label = profile
if (ext eq 'png') {
  set terminal pngcairo size 900,600 enhanced font 'Sans,11'
} else {
  set terminal pdfcairo size 6in,4in enhanced font 'Sans,10'
}
set output fig.'.'.ext

# the widths of this summary (curves-wN.dat of other settings may be lying about)
widths = system("awk '!/^#/ && NF && !s[$1]++ {printf \"%s \", $1}' ".data."/summary.dat")
stats data.'/summary.dat' using 2 nooutput
T = STATS_max
stats data.'/curves-w'.word(widths, 1).'.dat' using 1 nooutput
nseeds = STATS_blocks

set xrange [-pi:pi]
set xtics ('-{/Symbol p}' -pi, '-{/Symbol p}/2' -pi/2, '0' 0, '{/Symbol p}/2' pi/2, '{/Symbol p}' pi)
set xlabel '{/Symbol g}   (x = (cos {/Symbol g}, sin {/Symbol g}))'
set ylabel '{/Symbol Q}(x_0, x)'
set key top right box opaque font ',9'
set title sprintf('NTK of depth-4 ReLU nets: %d seeds per width, t = 0 (solid) and t = %g (dotted)', nseeds, T) font ',11'
set label 1 'profile: '.label at graph 0.01, graph 0.04 left font ',9' tc rgb 'gray40'
set grid lc rgb 'gray85'
colour(i) = word('#1f77b4 #d62728 #2ca02c #9467bd #ff7f0e', i)

plot for [i=1:words(widths)] for [s=0:nseeds-1] data.'/curves-w'.word(widths, i).'.dat' index s \
       using 1:2 with lines lw 0.8 lc rgb colour(i) dt 1 \
       title (s == 0 ? sprintf('n = %s, t = 0', word(widths, i)) : ''), \
     for [i=1:words(widths)] for [s=0:nseeds-1] data.'/curves-w'.word(widths, i).'.dat' index s \
       using 1:3 with lines lw 1.2 lc rgb colour(i) dt 3 \
       title (s == 0 ? sprintf('n = %s, t = %g', word(widths, i), T) : ''), \
     data.'/limit.dat' using 1:2 with lines lw 2.5 lc rgb 'black' title 'limit {/Symbol Q}^{(4)}'
