module example.com/replaced

go 1.24

require example.com/ext v1.0.0

replace example.com/ext => ./ext
