# plot.gp - width scaling, two panels on log-log axes against the hidden width n:
#  (a) |Theta_0 - Theta(L)| / |Theta(L)| at initialisation (Thm. 1),
#  (b) |Theta_T - Theta_0| / |Theta_0|, the movement over training (Thm. 2),
# for each nonlinearity: every seed (small points), the mean with its std, the fitted
# power law (slope in the key) and a slope -1/2 reference through the first mean.
# Run by make: gnuplot -e "data='DIR'; fig='PREFIX'; ext='png|pdf'; profile='NAME';
#   label='NAME, KEY=VALUE ...'" plot.gp   (label: the profile and the parameters set
#   on the command line, shown on the figure)
if (!exists('label')) label = profile
if (ext eq 'png') {
  set terminal pngcairo size 1300,560 enhanced font 'Sans,11'
} else {
  set terminal pdfcairo size 9in,3.9in enhanced font 'Sans,10'
}
set output fig.'.'.ext

hdr(key) = system("sed -n 's/^# ".key." = //p' ".data."/summary.dat | head -1")
nls = system("grep -v '^#' ".data."/fits.dat | awk '{print $1}' | tr '\\n' ' '")
fitv(i, c) = real(system(sprintf("grep -v '^#' %s/fits.dat | awk 'NR == %d {print $%d}'", data, i, c)))
first(i, c) = real(system(sprintf("grep -v '^#' %s/summary.dat | awk '$1 == \"%s\"' | head -1 | awk '{print $%d}'", data, word(nls, i), c)))
nmin = first(1, 2)
# Every value a plotted function needs, read once: a function sampled along x that
# called system() would start a shell per sample (minutes per figure).
nN = words(nls)
array F[4 * nN]
array P[2 * nN]
do for [i=1:nN] {
  do for [c=2:5] { F[4 * (i - 1) + c - 1] = fitv(i, c) }
  P[2 * i - 1] = first(i, 3); P[2 * i] = first(i, 5)
}
fit_(i, c) = F[4 * (i - 1) + c - 1]
nmax = real(system("grep -v '^#' ".data."/summary.dat | awk 'NF {print $2}' | sort -n | tail -1"))
nD = hdr('init_draws')
sh(i) = 1.0 + 0.04 * (i - 1)   # nonlinearities side by side at each width
colour(i) = word('#1f77b4 #d62728 #2ca02c #9467bd #ff7f0e', i)
nS = hdr('seeds')
T = real(hdr('steps')) * real(hdr('lr'))

set multiplot layout 1,2 title sprintf('Depth-%s networks, {/Symbol b} = %s, x_0 = (1,0), x on the unit circle: per width %d initialisations in (a), %s trained networks in (b)   (profile: %s)', hdr('depth'), hdr('beta'), int(nS) * int(nD), nS, label) font ',12'
set logscale xy
set format y '10^{%L}'
set xlabel 'hidden width n'
set grid lc rgb 'gray85'
set key bottom left box opaque font ',9'
set xrange [nmin / 1.3 : nmax * 1.3]
set xtics (64, 128, 256, 512, 1024, 2048, 4096, 8192, 16, 32)

set ylabel '|{/Symbol Q}_0 - {/Symbol Q}^{(L)}| / |{/Symbol Q}^{(L)}|'
set title '(a) distance of the NTK at initialisation to the limit' font ',11'
plot for [i=1:words(nls)] data.'/init-draws.dat' index i-1 using ($2 * sh(i)):4 with points pt 7 ps 0.3 lc rgb colour(i) notitle, \
     for [i=1:words(nls)] data.'/summary.dat' index i-1 using ($2 * sh(i)):3:4 with yerrorbars pt 7 ps 0.9 lc rgb colour(i) \
       title word(nls, i).': mean ± std', \
     for [i=1:words(nls)] exp(fit_(i, 3)) * x**fit_(i, 2) with lines lw 2 lc rgb colour(i) \
       title sprintf('%s: fit, slope %.3f', word(nls, i), fit_(i, 2)), \
     for [i=1:words(nls)] P[2 * i - 1] * (x / nmin)**-0.5 with lines lw 1 dt 2 lc rgb colour(i) \
       title (i == 1 ? 'slope -1/2' : '')

set ylabel '|{/Symbol Q}_T - {/Symbol Q}_0| / |{/Symbol Q}_0|'
set title sprintf('(b) movement of the NTK during training (t = %g, Figure 1 task)', T) font ',11'
plot for [i=1:words(nls)] data.'/seeds.dat' index i-1 using ($2 * sh(i)):5 with points pt 7 ps 0.3 lc rgb colour(i) notitle, \
     for [i=1:words(nls)] data.'/summary.dat' index i-1 using ($2 * sh(i)):5:6 with yerrorbars pt 7 ps 0.9 lc rgb colour(i) \
       title word(nls, i).': mean ± std', \
     for [i=1:words(nls)] exp(fit_(i, 5)) * x**fit_(i, 4) with lines lw 2 lc rgb colour(i) \
       title sprintf('%s: fit, slope %.3f', word(nls, i), fit_(i, 4)), \
     for [i=1:words(nls)] P[2 * i] * (x / nmin)**-0.5 with lines lw 1 dt 2 lc rgb colour(i) \
       title (i == 1 ? 'slope -1/2' : ''), \
     for [i=1:words(nls)] P[2 * i] * (x / nmin)**-1 with lines lw 1 dt 3 lc rgb colour(i) \
       title (i == 1 ? 'slope -1' : '')
unset multiplot
