# Time against N from bench/report.py's chart.dat:
#   gnuplot -e "data='chart.dat'; out='chart.png'" bench/chart.gp
set terminal pngcairo size 900,560 font ",10"
set output out
set title "topo vs ip -batch vs CNI plugins (N containers over N/25 bridges)"
set xlabel "containers (N)"
set ylabel "seconds (log scale)"
set logscale xy
set key outside right top
set grid
set datafile missing "nan"
plot data using 1:2 with linespoints lw 2 lc rgb "#1f77b4" pt 7 title "topo apply", \
     data using 1:3 with linespoints lw 2 lc rgb "#2ca02c" pt 7 title "ip -batch apply", \
     data using 1:4 with linespoints lw 2 lc rgb "#d62728" pt 7 title "CNI apply", \
     data using 1:5 with linespoints lw 2 dt 2 lc rgb "#1f77b4" pt 5 title "topo destroy", \
     data using 1:6 with linespoints lw 2 dt 2 lc rgb "#2ca02c" pt 5 title "ip -batch destroy", \
     data using 1:7 with linespoints lw 2 dt 2 lc rgb "#d62728" pt 5 title "CNI destroy", \
     data using 1:8 with linespoints lw 2 lc rgb "#9467bd" pt 9 title "topo no-op plan", \
     data using 1:9 with linespoints lw 2 lc rgb "#ff7f0e" pt 9 title "topo 1% change"
