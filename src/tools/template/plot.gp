# plot.gp - @NAME@: Theta(x0, x0) against the hidden width, the mean over seeds with
# its standard deviation, beside the limit Theta(L)(x0, x0) (the template's figure:
# replace it with the experiment's own).
# Run by make: gnuplot -e "data='DIR'; fig='PREFIX'; ext='png|pdf'; profile='NAME'" plot.gp
if (ext eq 'png') {
  set terminal pngcairo size 800,560 enhanced font 'Sans,11'
} else {
  set terminal pdfcairo size 5.5in,3.9in enhanced font 'Sans,10'
}
set output fig.'.'.ext

hdr(key) = system("sed -n 's/^# ".key." = //p' ".data."/summary.dat | head -1")
set title sprintf('@NAME@: depth-%s %s networks, x_0 = (1, 0)   (profile: %s)', hdr('depth'), hdr('nonlin'), profile)
set logscale x
set xlabel 'hidden width n'
set ylabel '{/Symbol Q}(x_0, x_0)'
set grid lc rgb 'gray85'
set key top right box opaque
set offsets graph 0.05, graph 0.05, graph 0.1, graph 0.1
plot data.'/summary.dat' using 1:2:3 with yerrorbars pt 7 ps 1 lc rgb '#1f77b4' title sprintf('mean ± std over %s seeds', hdr('seeds')), \
     real(hdr('limit')) with lines lw 2 dt 2 lc rgb '#d62728' title 'limit {/Symbol Q}^{(L)}(x_0, x_0)'
