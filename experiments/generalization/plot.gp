# plot.gp - generalization: four panels in one figure.
#   (a) test MSE against t: the NTK's limiting mean and a random limiting net's expected
#       MSE (black), the networks (one colour per width, mean over seeds);
#   (b) test MSE at the networks' last t against width, with the NTK (same t and
#       t = infinity) and the NNGP as lines;
#   (c) distance of a network's test predictions to the limit from its own f_0 (and to
#       the limiting mean) against width, with the least-squares slope;
#   (d) test accuracy against t, as (a), with the NNGP's.
# Run by make: gnuplot -e "data='DIR'; fig='PREFIX'; ext='png|pdf'; profile='NAME';
#   label='NAME, KEY=VALUE ...'" plot.gp   (label: the profile and the parameters set
#   on the command line; the profile alone when not given)
if (!exists('label')) label = profile
if (ext eq 'png') {
  set terminal pngcairo size 1200,900 enhanced font 'Sans,10'
} else {
  set terminal pdfcairo size 9in,6.75in enhanced font 'Sans,9'
}
set output fig.'.'.ext
S = data.'/summary.dat'
param(f, key) = system(sprintf("sed -n 's/^# %s = //p' %s", key, f))
sizes = system("sed -n 's/^# train_sizes = //p' ".S." | tr ',' ' '")
N = param(S, 'net_train')
kidx = 0
do for [i=1:words(sizes)] { if (word(sizes, i) eq N) { kidx = i - 1 } }
widths = system("awk '$1 == \"net\" {printf \"%s \", $2}' ".S)
T = real(param(S, 'net_t_end'))
# one value of summary.dat: model, training size, column number
val(m, n, c) = real(system(sprintf("awk '$1 == \"%s\" && $3 == %s {print $%d}' %s", m, n, c, S)))
ntk_same = real(system(sprintf("awk '$1 == \"net\" {print $13; exit}' %s", S)))
ntk_same_exp = real(system(sprintf("awk '$1 == \"net\" {print $15; exit}' %s", S)))
ntk_same_acc = real(system(sprintf("awk '$1 == \"net\" {print $14; exit}' %s", S)))
ntk_inf = val('ntk', N, 5)
ntk_inf_acc = val('ntk', N, 6)
nngp = val('nngp', N, 5)
nngp_acc = val('nngp', N, 6)
slope = real(param(data.'/distance.dat', 'slope'))
floor = real(param(data.'/distance.dat', 'dist_mean_limit'))
colour(i) = word('#1f77b4 #d62728 #2ca02c #9467bd #ff7f0e #8c564b #e377c2', i)

set multiplot layout 2,2 title sprintf('MNIST, N = %s training digits, depth-5 relu nets (profile: %s)', N, label) font ',12'
set grid lc rgb 'gray85'
set logscale x
set format x '10^{%T}'

# (a) test MSE along t
set title '(a) test MSE along t' font ',11'
set xlabel 't'
set ylabel 'test MSE (mean over points and outputs)'
set key top right box opaque font ',8'
plot data.'/curves-kernel.dat' index kidx using ($1 > 0 ? $1 : NaN):2 with lines lw 2 lc rgb 'black' title 'NTK limit: mean', \
     '' index kidx using ($1 > 0 ? $1 : NaN):4 with lines lw 2 dt 2 lc rgb 'black' title 'NTK limit: random net (mean + var)', \
     for [i=1:words(widths)] data.'/curves-net.dat' index i-1 using ($1 > 0 ? $1 : NaN):2 with linespoints pt 7 ps 0.4 \
       lw 1.5 lc rgb colour(i) title sprintf('n = %s', word(widths, i))

# (b) at the end against width
set title sprintf('(b) test MSE at t = %g against width', T) font ',11'
set xlabel 'width n'
set format x '%g'
set offsets graph 0.08, graph 0.08, graph 0.5, 0
set key top right box opaque font ',8'
plot S using (strcol(1) eq 'net' ? $2 : NaN):5:7 with yerrorbars pt 7 ps 0.8 lc rgb '#d62728' title 'networks (mean, std over seeds)', \
     ntk_same_exp with lines lw 2 dt 2 lc rgb 'black' title sprintf('NTK random net, t = %g', T), \
     ntk_same with lines lw 2 lc rgb 'black' title sprintf('NTK mean, t = %g', T), \
     ntk_inf with lines lw 2 lc rgb 'gray50' title 'NTK mean, t = {/Symbol \245}', \
     nngp with lines lw 2 dt 3 lc rgb '#1f77b4' title 'NNGP posterior mean'

# (c) distance to the limit against width
set title sprintf('(c) RMS distance of the test predictions at t = %g; slope %.3f', T, slope) font ',11'
set logscale xy
set format y '%g'
set ylabel 'RMS distance'
set offsets graph 0.08, graph 0.08, 0, 0
set yrange [0.01:1]
set key top right box opaque font ',8'
plot data.'/distance.dat' using 1:2:3 with yerrorbars pt 7 ps 0.8 lc rgb '#d62728' title 'to the limit from the net''s own f_0', \
     '' using 1:6 with lines lw 1.5 lc rgb '#d62728' title sprintf('fit: n^{%.3f}', slope), \
     '' using 1:4:5 with yerrorbars pt 5 ps 0.8 lc rgb '#1f77b4' title 'to the limiting mean', \
     floor with lines lw 1.5 dt 2 lc rgb 'gray40' title 'sqrt(limiting variance)'
unset logscale y

# (d) test accuracy along t
set title '(d) test accuracy along t' font ',11'
set offsets 0, 0, 0, 0
set yrange [0:1]
set ytics auto
set logscale x
set format x '10^{%T}'
set xlabel 't'
set ylabel 'test accuracy'
set key bottom right box opaque font ',8'
plot data.'/curves-kernel.dat' index kidx using ($1 > 0 ? $1 : NaN):3 with lines lw 2 lc rgb 'black' title 'NTK limit: mean', \
     for [i=1:words(widths)] data.'/curves-net.dat' index i-1 using ($1 > 0 ? $1 : NaN):3 with linespoints pt 7 ps 0.4 \
       lw 1.5 lc rgb colour(i) title sprintf('n = %s', word(widths, i)), \
     nngp_acc with lines lw 2 dt 3 lc rgb '#1f77b4' title sprintf('NNGP (t = {/Symbol \245}): %.4f', nngp_acc)
unset multiplot
