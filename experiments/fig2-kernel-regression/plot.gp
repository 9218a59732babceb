# plot.gp - Figure 2: every network's function f(x) on the circle after training (thin
# lines, one colour per width), the 10th/50th/90th percentiles of the limiting Gaussian
# with the analytic kernels (black: solid median, dashed 10/90) and with the kernels of
# one wide network (grey dots, drawn on top), and the training points.
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
stats data.'/curves-w'.word(widths, 1).'.dat' using 1 nooutput
nseeds = STATS_blocks
T = real(system("sed -n 's/^# t = //p' ".data."/runs/w".word(widths, 1)."-s1.dat"))
refw = system("sed -n 's/^# width = //p' ".data."/runs/ref.dat")

set xrange [-pi:pi]
set yrange [-0.5:0.65]
set xtics ('-{/Symbol p}' -pi, '-{/Symbol p}/2' -pi/2, '0' 0, '{/Symbol p}/2' pi/2, '{/Symbol p}' pi)
set xlabel '{/Symbol g}   (x = (cos {/Symbol g}, sin {/Symbol g}))'
set ylabel 'f(x)'
set key inside top center horizontal maxrows 2 width 1 box opaque font ',9'
set title sprintf('Depth-4 ReLU nets after t = %g: %d seeds per width, and the limiting Gaussian', T, nseeds) font ',11'
set label 1 'profile: '.label at graph 0.01, graph 0.04 left font ',9' tc rgb 'gray40'
set grid lc rgb 'gray85'
colour(i) = word('#1f77b4 #d62728 #2ca02c #9467bd #ff7f0e', i)

plot for [i=1:words(widths)] for [s=0:nseeds-1] data.'/curves-w'.word(widths, i).'.dat' index s \
       using 1:2 with lines lw 0.8 lc rgb colour(i) \
       title (s == 0 ? sprintf('n = %s (%d nets)', word(widths, i), nseeds) : ''), \
     data.'/limit.dat' using 1:3 with lines lw 2 lc rgb 'black' title 'limit: median', \
     '' using 1:2 with lines lw 1.5 lc rgb 'black' dt 2 title 'limit: 10th, 90th percentiles', \
     '' using 1:4 with lines lw 1.5 lc rgb 'black' dt 2 notitle, \
     data.'/limit-empirical.dat' using 1:3 with lines lw 2.5 lc rgb 'gray60' dt 3 \
       title sprintf('the same, kernels of one n = %s net', refw), \
     '' using 1:2 with lines lw 2.5 lc rgb 'gray60' dt 3 notitle, \
     '' using 1:4 with lines lw 2.5 lc rgb 'gray60' dt 3 notitle, \
     data.'/points.dat' using 1:4 with points pt 7 ps 1.3 lc rgb 'black' title 'training points'
