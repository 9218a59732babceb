# plot.gp - random features (paper section 3.1), four panels:
#  (a) |Khat - K|_F / |K|_F against P (log-log): every draw (grey), the mean over draws
#      with its std, the fitted power law, and Wick's exact root mean square sqrt(c/P)
#      (slope -1/2) beside the measured root mean square;
#  (b) the function on the circle at the snapshot steps: GD on theta (lines), kernel GD
#      with the random tangent kernel (points), kernel GD with K itself (dashed);
#  (c) per step, max |f_theta - f_kernel| (rounding level) and max |f_kernel - f_limit|;
#  (d) the training loss of the three iterations against t.
# Run by make: gnuplot -e "data='DIR'; fig='PREFIX'; ext='png|pdf'; profile='NAME';
#   label='NAME, KEY=VALUE ...'" plot.gp   (label: the profile and the parameters set
#   on the command line, shown on the figure)
if (!exists('label')) label = profile
if (ext eq 'png') {
  set terminal pngcairo size 1300,950 enhanced font 'Sans,11'
} else {
  set terminal pdfcairo size 9in,6.6in enhanced font 'Sans,10'
}
set output fig.'.'.ext

stats data.'/fit.dat' using 1 nooutput
slope = STATS_min
stats data.'/fit.dat' using 2 nooutput
icpt = STATS_min
hdr(file, key) = system("sed -n 's/^# ".key." = //p' ".file." | head -1")
Pgd = hdr(data.'/gd-trace.dat', 'gd_P')
kern = hdr(data.'/gd-trace.dat', 'kernel')
nl = hdr(data.'/gd-trace.dat', 'nonlin')
L = hdr(data.'/gd-trace.dat', 'depth')
M = hdr(data.'/gd-trace.dat', 'points')
snaps = system("sed -n 's/^# snapshots = //p' ".data."/gd-curves.dat | tr ',' ' '")
maxdiff = real(hdr(data.'/gd-trace.dat', 'max_diff'))
maxrel = real(hdr(data.'/gd-trace.dat', 'max_rel_diff'))
kname = (kern eq 'ntk') ? sprintf('{/Symbol Q}^{(%s)}', L) : sprintf('{/Symbol S}^{(%s)}', L)
colour(i) = word('#1f77b4 #d62728 #2ca02c #9467bd #ff7f0e #8c564b', i)

set multiplot layout 2,2 title sprintf('Random features f = P^{-1/2} {/Symbol S}_p {/Symbol q}_p f_p, f_p ∼ GP(0, K), K = %s %s on %s points of the circle   (profile: %s)', nl, kname, M, label) font ',12'
set grid lc rgb 'gray85'

# (a)
set logscale xy
set format x '10^{%L}'
set format y '10^{%L}'
set xlabel 'number of features P'
set ylabel '|K_P - K|_F / |K|_F'
set key bottom left box opaque font ',9'
set title '(a) the tangent kernel K_P = P^{-1} {/Symbol S}_p f_p f_p^T tends to K' font ',11'
plot data.'/seeds.dat' using 1:3 with points pt 7 ps 0.35 lc rgb 'gray70' title 'each draw', \
     data.'/summary.dat' using 1:2:3 with yerrorbars pt 7 ps 0.9 lc rgb colour(1) title 'mean ± std over draws', \
     exp(icpt) * x**slope with lines lw 2 lc rgb colour(1) title sprintf('fit of the mean: slope %.3f', slope), \
     data.'/wick.dat' using 1:2 with points pt 4 ps 1.0 lc rgb colour(2) title 'root mean square over draws', \
     '' using 1:3 with lines lw 1.5 dt 2 lc rgb colour(2) title 'Wick: ((tr K)^2 + |K|_F^2)^{1/2} / (|K|_F P^{1/2}), slope -1/2'
unset logscale
set format x '% h'
set format y '% h'

# (b)
set xrange [-pi:pi]
set xtics ('-{/Symbol p}' -pi, '-{/Symbol p}/2' -pi/2, '0' 0, '{/Symbol p}/2' pi/2, '{/Symbol p}' pi)
set xlabel '{/Symbol g}   (x = (cos {/Symbol g}, sin {/Symbol g}))'
set ylabel 'f(x)'
set key top left box opaque font ',8' maxrows 4
set title sprintf('(b) P = %s: GD on {/Symbol q} (lines), kernel GD with K_P (points), with K (dashed)', Pgd) font ',11'
plot for [i=1:words(snaps)] data.'/gd-curves.dat' index i-1 using 1:4 with lines lw 1.5 lc rgb colour(i) title 'step '.word(snaps, i), \
     for [i=1:words(snaps)] data.'/gd-curves.dat' index i-1 using 1:5 every 2 with points pt 6 ps 0.6 lc rgb colour(i) notitle, \
     for [i=1:words(snaps)] data.'/gd-curves.dat' index i-1 using 1:6 with lines lw 1 dt 2 lc rgb colour(i) notitle, \
     data.'/gd-curves.dat' index 0 using 1:2 with lines lw 1 lc rgb 'black' dt 3 title 'f*(x) = x_1 x_2', \
     data.'/gd-curves.dat' index 0 using 1:($3 > 0 ? $2 : 1/0) with points pt 7 ps 1.2 lc rgb 'black' title 'training points'
unset xtics
set xtics
set xrange [*:*]

# (c)
set logscale y
set format y '10^{%L}'
set xlabel 'gradient step k'
set ylabel 'max over the circle'
set key center right box opaque font ',9'
set yrange [1e-18:*]
set title sprintf('(c) largest |f_{/Symbol q}-f_{kernel}| over steps: %.2g (%.2g of max|f|)', maxdiff, maxrel) font ',11'
plot data.'/gd-trace.dat' using 1:($6 > 0 ? $6 : 1e-18) with lines lw 1.5 lc rgb colour(1) title '|f_{/Symbol q} - f_{kernel}|: GD on {/Symbol q} vs kernel GD with K_P', \
     '' using 1:($7 * 2.0**-52) with lines lw 1 dt 2 lc rgb 'gray40' title 'machine {/Symbol e} × max |f|', \
     '' using 1:8 with lines lw 1.5 lc rgb colour(2) title '|f_{kernel} - f_{limit}|: kernel GD with K_P vs with K'
set yrange [*:*]

# (d)
set xlabel 't = lr × k'
set ylabel 'cost 1/(2N) {/Symbol S}_i (f(x_i) - y_i)^2'
set key top right box opaque font ',9'
set title '(d) training loss' font ',11'
plot data.'/gd-trace.dat' using 2:3 with lines lw 3 lc rgb colour(1) title 'GD on {/Symbol q}', \
     '' using 2:4 with lines lw 1.5 dt 2 lc rgb 'black' title 'kernel GD with K_P', \
     '' using 2:5 with lines lw 1.5 lc rgb colour(2) title 'kernel GD with K (P = ∞)'
unset multiplot
