"""The pages of the dashboard (run by app.py through st.navigation) and what they share."""
