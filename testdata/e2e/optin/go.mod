module example.com/optin

go 1.26
