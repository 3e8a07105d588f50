"""Planning a roster: the coordinators' pages (periods, points, patterns, closed days) and the
machinery that fills a period — the instance format, the CP-SAT solver, its greedy start, the
independent checker and the glue that loads a period into the solver and writes its answer back.

The solver pipeline lives here rather than at the app root because nothing but planning uses it:
the volunteers' pages and attendance only read the assignments it leaves behind.
"""
