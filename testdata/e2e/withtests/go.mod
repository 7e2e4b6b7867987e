module example.com/withtests

go 1.26
