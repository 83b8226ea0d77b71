from apilint.entry import run

run()
