# plot.gp - Figure 3, three panels, each its own file:
#   FIGa: the batch at (f2(x), f3(x)), one colour per digit;
#   FIGb: |h_t| (error off the f2 line) against t, one colour per width, one dash per seed;
#   FIGc: |g_t| (error along f2) against t, with the limit 0.5 exp(-lambda2 t) in black.
# Run by make: gnuplot -e "data='DIR'; fig='PREFIX'; ext='png|pdf'; profile='NAME';
#   label='NAME, KEY=VALUE ...'" plot.gp   (label: the profile and the parameters set
#   on the command line, shown on the figure)
if (!exists('label')) label = profile
if (ext eq 'png') {
  set terminal pngcairo size 800,600 enhanced font 'Sans,11'
} else {
  set terminal pdfcairo size 5.5in,4.1in enhanced font 'Sans,10'
}
# the widths of this summary (curves-wN.dat of other settings may be lying about)
widths = system("awk '!/^#/ && NF && !s[$1]++ {printf \"%s \", $1}' ".data."/summary.dat")
stats data.'/curves-w'.word(widths, 1).'.dat' using 1 nooutput
nseeds = STATS_blocks
T = STATS_max
lambda2 = real(system("sed -n 's/^# lambda2 = //p' ".data."/limit.dat"))
# kernel gradient descent with the runs' step, drawn where it differs visibly (1% of 0.5)
lr = real(system("sed -n 's/^# lr = //p' ".data."/limit.dat"))
gap_discrete = real(system("sed -n 's/^# max_gap_discrete = //p' ".data."/limit.dat"))
kernel = system("sed -n 's/^# kernel = //p' ".data."/components.dat")
colour(i) = word('#1f77b4 #d62728 #2ca02c #9467bd #ff7f0e', i)
set grid lc rgb 'gray85'
set label 1 'profile: '.label at graph 0.01, graph 0.03 left font ',9' tc rgb 'gray40' front

# (a) the second and third kernel principal components, coloured by label
set output fig.'a.'.ext
digit(d) = word('#1f77b4 #ff7f0e #2ca02c #d62728 #9467bd #8c564b #e377c2 #7f7f7f #bcbd22 #17becf', d + 1)
set title sprintf('Kernel PCA of the batch (%s)', kernel) font ',11'
set xlabel 'f_2(x)'
set ylabel 'f_3(x)'
set key outside right top title 'digit' font ',9'
plot for [d=0:9] data.'/components.dat' using ($1 == d ? $3 : NaN):4 with points pt 7 ps 0.5 \
       lc rgb digit(d) title sprintf('%d', d)

# (b) the deviation from the straight line
set output fig.'b.'.ext
set title '|h_t|: error orthogonal to f_2' font ',11'
set xlabel 't'
set ylabel '|h_t|'
set xrange [0:T]
set yrange [0:*]
set key default
set key top left box opaque font ',9'
plot for [i=1:words(widths)] for [s=0:nseeds-1] data.'/curves-w'.word(widths, i).'.dat' index s \
       using 1:3 with lines lw 1.5 lc rgb colour(i) dt s+1 \
       title (s == 0 ? sprintf('n = %s', word(widths, i)) : '')

# (c) convergence along f2 against the limit
set output fig.'c.'.ext
set title sprintf('|g_t|: error along f_2, limit 0.5 exp(-{/Symbol l}_2 t), {/Symbol l}_2 = %.3g', lambda2) font ',11'
set ylabel '|g_t|'
set key default
set key top right box opaque font ',9'
plot for [i=1:words(widths)] for [s=0:nseeds-1] data.'/curves-w'.word(widths, i).'.dat' index s \
       using 1:2 with lines lw 1.5 lc rgb colour(i) dt s+1 \
       title (s == 0 ? sprintf('n = %s', word(widths, i)) : ''), \
     data.'/limit.dat' using 1:2 with lines lw 2 dt 2 lc rgb 'black' title 'limit', \
     for [show=1:(gap_discrete > 0.005)] data.'/limit.dat' using 1:3 with lines lw 1.5 dt 3 \
       lc rgb 'gray40' title sprintf('kernel GD, lr %g', lr)
