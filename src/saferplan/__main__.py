from saferplan.cli import main

main()
